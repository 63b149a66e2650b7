package org.parsl.providers;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker JVMs this JVM launched and has not yet seen stop, so that a JVM shutdown hook can stop
 * them when this JVM exits without its executors being shut down (the one piece of static state the
 * providers keep: a shutdown hook is per JVM).
 */
final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);
    private static final long GRACE_MILLIS = 5_000;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(ChildProcesses::stopAll, "parsl-provider-shutdown");
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
