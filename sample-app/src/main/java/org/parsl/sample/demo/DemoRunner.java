package org.parsl.sample.demo;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.parsl.sample.SampleProperties;
import org.parsl.spring.boot.autoconfigure.ConditionalOnParslKernel;
import org.parsl.sample.jobs.Job;
import org.parsl.sample.jobs.JobRequest;
import org.parsl.sample.jobs.JobService;
import org.parsl.sample.jobs.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs one pricing job at startup and prints where its tasks ran and what it found. Its exit code
 * (0 when the job succeeded and the price agrees with Black–Scholes, 1 otherwise) is the
 * application's when it exits after the demo ({@code --sample.exit-after-demo=true}). Only the
 * application that submits the work runs it, not its workers.
 */
@Component
@ConditionalOnParslKernel // the workers (this application relaunched) must not start jobs of their own
class DemoRunner implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final JobService jobs;
    private final SampleProperties properties;
    private final Environment environment;
    private volatile int exitCode;

    DemoRunner(JobService jobs, SampleProperties properties, Environment environment) {
        this.jobs = jobs;
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        SampleProperties.Demo demo = properties.demo();
        if (!demo.enabled()) {
            return;
        }
        log.info("demo: pricing an at-the-money European call (S=100, K=100, r=5%, sigma=20%, T=1y) with {} paths in {} chunks",
                String.format("%,d", demo.samples()), demo.chunks());
        Job job = jobs.start(new JobRequest(demo.samples(), demo.chunks(), demo.seed()));
        try {
            job.outcome().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.error("demo: job {} did not succeed: {}", job.id(), e instanceof TimeoutException
                    ? "no result within " + TIMEOUT : e.getCause().toString());
            exitCode = 1;
            return;
        }
        JobStatus.Result r = jobs.status(job.id()).result();
        boolean agrees = Math.abs(r.price() - r.blackScholes()) <= 4 * r.standardError();
        log.info("demo: gpu worker JVMs (pids) {}; cpu reduce steps ran in pids {} (this JVM); {} gpu worker JVM(s) connected now",
                r.workerPids(), r.reducerPids(), jobs.gpuWorkersConnected());
        log.info("demo: result: price {} ± {} (95% CI [{}, {}]); Black–Scholes {}: {}", fmt(r.price()),
                fmt(r.standardError()), fmt(r.confidence95().get(0)), fmt(r.confidence95().get(1)), fmt(r.blackScholes()),
                agrees ? "agrees" : "DOES NOT AGREE (more than 4 standard errors apart)");
        if (!agrees) {
            exitCode = 1;
        } else if (r.workerPids().isEmpty() || r.workerPids().contains(r.servicePid())) {
            log.error("demo: gpu chunks ran in this JVM (pid {}), not in worker JVMs: is parsl.executors.gpu.type 'hazelcast'?",
                    r.servicePid());
            exitCode = 1;
        }
        if (!properties.exitAfterDemo()) {
            log.info("demo: done; the service keeps serving on port {}: curl -X POST localhost:{}/jobs "
                    + "-H 'Content-Type: application/json' -d '{\"samples\": 2000000, \"chunks\": 16}'",
                    environment.getProperty("local.server.port"), environment.getProperty("local.server.port"));
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }

    private static String fmt(double value) {
        return String.format("%.4f", value);
    }
}
