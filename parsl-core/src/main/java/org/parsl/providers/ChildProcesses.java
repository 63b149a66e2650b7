package org.parsl.providers;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker JVMs this JVM launched and has not yet seen stop, so that a JVM shutdown hook can stop
 * them when this JVM exits without its executors being shut down (the one piece of static state the
 * providers keep: a shutdown hook is per JVM).
 *
 * <p>The hook is a last resort, not a race: the JVM runs every shutdown hook at once, and an
 * application's own (Spring's graceful shutdown on SIGTERM) may still be draining tasks on these
 * workers. So the hook first waits for the children to end — stopped by their executors' shutdown,
 * or by themselves — for at most {@value #WAIT_PROPERTY} (a {@code java.time.Duration} such as
 * {@code PT30S}, or seconds; default 30 s), and only then stops those still running. A program that
 * exits without closing its DataFlowKernel therefore exits up to that long later; its workers would
 * exit by themselves anyway once this JVM is gone (they watch their launching process).
 */
final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);
    private static final long GRACE_MILLIS = 5_000;
    /** The system property that bounds the shutdown hook's wait for the executors' own shutdown. */
    static final String WAIT_PROPERTY = "parsl.providers.shutdown-hook-wait";
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(ChildProcesses::lastResort, "parsl-provider-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private ChildProcesses() {
    }

    static Block track(String id, Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        log.info("block {} started: worker JVM pid {}", id, process.pid());
        return new ProcessBlock(id, process);
    }

    /** The shutdown hook: let the executors stop their children first (bounded), then stop the rest. */
    private static void lastResort() {
        Process[] live = LIVE.toArray(new Process[0]);
        if (live.length == 0) {
            return;
        }
        Duration wait = hookWait(System.getProperty(WAIT_PROPERTY));
        CompletableFuture<?>[] exits = new CompletableFuture<?>[live.length];
        for (int i = 0; i < live.length; i++) {
            exits[i] = live[i].onExit();
        }
        try {
            CompletableFuture.allOf(exits).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            log.warn("JVM exit: {} worker JVM(s) still running {} after the exit began (their executors were not shut down);"
                    + " stopping them", LIVE.size(), wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // onExit never fails
        }
        stopAll();
    }

    /** The wait of the shutdown hook: the property as a Duration or a number of seconds, else the default. */
    static Duration hookWait(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_WAIT;
        }
        try {
            Duration d = value.strip().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value.strip())) : Duration.parse(value.strip());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (RuntimeException e) {
            log.warn("system property {}={} is not a duration (e.g. PT30S or 30); using {}", WAIT_PROPERTY, value, DEFAULT_WAIT);
            return DEFAULT_WAIT;
        }
    }

    private static void stopAll() {
        for (Process p : LIVE.toArray(new Process[0])) {
            p.destroy();
        }
        for (Process p : LIVE.toArray(new Process[0])) {
            stop(p);
        }
    }

    static void stop(Process p) {
        p.destroy(); // SIGTERM: the worker stops cleanly
        try {
            if (!p.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(p);
    }

    private record ProcessBlock(String id, Process process) implements Block {
        @Override
        public List<Long> pids() {
            return List.of(process.pid());
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void stop() {
            if (process.isAlive()) {
                ChildProcesses.stop(process);
                log.info("block {} stopped (pid {}, exit {})", id, process.pid(), process.isAlive() ? "?" : process.exitValue());
            }
        }
    }
}
