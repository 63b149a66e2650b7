package org.parsl.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.parsl.dataflow.DataFlowKernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The application's DataFlowKernel in the context's lifecycle. The kernel is loaded (its executors
 * started) when its bean is created, so it is ready before any lifecycle bean starts; its
 * {@link #PHASE} is below the web server's, so at shutdown the server stops taking requests first,
 * then {@link #stop()} waits up to {@code parsl.shutdown-timeout} for the submitted tasks and cleans
 * the kernel up (cancelling what is left).
 */
public final class ParslDataFlowKernelLifecycle implements SmartLifecycle {

    /** Below {@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE} ({@code MAX_VALUE - 2048}). */
    public static final int PHASE = Integer.MAX_VALUE - 2048 - 1024;

    private static final Logger log = LoggerFactory.getLogger(ParslDataFlowKernelLifecycle.class);

    private final DataFlowKernel dfk;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    ParslDataFlowKernelLifecycle(DataFlowKernel dfk, Duration shutdownTimeout) {
        this.dfk = dfk;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        running = !dfk.isClosed();
    }

    /**
     * Waits for every submitted task (those submitted meanwhile included) up to the shutdown timeout,
     * then cleans the kernel up. Runs on the thread that closes the context and blocks it for at most
     * the timeout.
     */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        int inFlight = dfk.tasksInFlight();
        if (inFlight > 0) {
            log.info("waiting up to {} for {} Parsl task(s) to finish", shutdownTimeout, inFlight);
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                dfk.close();
                drained.complete(null);
            } catch (Throwable t) {
                drained.completeExceptionally(t);
            }
        }, "parsl-shutdown");
        closer.setDaemon(true);
        closer.start();
        try {
            drained.get(shutdownTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("Parsl tasks still running after parsl.shutdown-timeout ({}): cancelling {} task(s)",
                    shutdownTimeout, dfk.tasksInFlight());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("closing the DataFlowKernel failed; cleaning it up", e.getCause());
        } finally {
            dfk.cleanup();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
