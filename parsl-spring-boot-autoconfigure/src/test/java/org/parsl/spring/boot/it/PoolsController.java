package org.parsl.spring.boot.it;

import java.util.concurrent.CompletableFuture;

import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.spring.boot.it.Samples.Sample;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller as a user writes one: it injects both pools by qualifier, the default pool, and the
 * service. Nothing marks it for one side: on a worker it is created too (and serves nothing, a worker
 * has no web server).
 */
@RestController
public class PoolsController {

    private final ParslPoolExecutor cpu;
    private final ParslPoolExecutor gpu;
    private final ParslPoolExecutor all;
    private final Samples samples;

    public PoolsController(@Qualifier("cpu") ParslPoolExecutor cpu, @Qualifier("gpu") ParslPoolExecutor gpu,
            ParslPoolExecutor all, Samples samples) {
        this.cpu = cpu;
        this.gpu = gpu;
        this.all = all;
        this.samples = samples;
    }

    @GetMapping("/sample")
    public CompletableFuture<Sample> sample() {
        return samples.sample("http", java.util.List.of());
    }

    /** The pools this controller got, by label. */
    public String pools() {
        return cpu.executors() + " " + gpu.executors() + " " + all.executors();
    }
}
