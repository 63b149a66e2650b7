package org.parsl.sample.pricing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/**
 * Simulates chunks of paths on the {@code gpu} executor. {@code @Async("gpu")} sends each call to a
 * worker JVM — this same application relaunched in worker mode — as bean name, method and JSON
 * arguments; the worker runs this bean's method and sends the {@link ChunkResult} back as JSON.
 */
@Component
public class PathSimulator {

    /**
     * Simulates {@code chunk} on a {@code gpu} worker. When the chunk carries a failure marker, its
     * first try fails with a {@link TransientSimulationException}; the DataFlowKernel retries it
     * ({@code parsl.retries}), and the retry — which finds the marker — succeeds.
     */
    @Async("gpu")
    public CompletableFuture<ChunkResult> simulate(Chunk chunk) {
        boolean retried = false;
        if (chunk.failFirstTryMarker() != null) {
            retried = !markFirstTry(Path.of(chunk.failFirstTryMarker()));
            if (!retried) {
                throw new TransientSimulationException("simulated transient failure on the first try of chunk "
                        + chunk.index() + " of job " + chunk.jobId() + " (pid " + ProcessHandle.current().pid()
                        + "); parsl.retries makes the DataFlowKernel run it again");
            }
        }
        ChunkResult result = chunk.simulate();
        return CompletableFuture.completedFuture(retried ? result.asRetried() : result);
    }

    /** Creates the marker; true if this call created it (the first try), false if it was there. */
    private static boolean markFirstTry(Path marker) {
        try {
            Files.createFile(marker);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the failure marker " + marker, e);
        }
    }
}
