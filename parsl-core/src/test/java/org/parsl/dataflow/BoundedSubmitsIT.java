package org.parsl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.executors.ThreadPoolExecutor;

/**
 * Backpressure end to end: a DataFlowKernel in a child JVM with {@code -Xmx256m} takes 2,000,000
 * submits of tasks with 1 KB arguments, at the default bound, on a thread-pool executor, and finishes.
 * Without the bound the submitting loop outruns the two worker threads and the heap fills up.
 */
class BoundedSubmitsIT {

    static final int SUBMITS = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void aKernelWithA256MegabyteHeapTakesTwoMillionSubmitsOfOneKilobyteArgumentsAndFinishes() throws Exception {
        Path log = dir.resolve("child.log");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.resolve("runinfo").toString(), Integer.toString(SUBMITS)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean ended = child.waitFor(5, TimeUnit.MINUTES);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("child still running after 5 minutes; output:%n%s", output).isTrue();
            assertThat(child.exitValue()).as("child output:%n%s", output).isZero();
            assertThat(output).contains("done " + SUBMITS + " of " + SUBMITS);
            long peak = Long.parseLong(output.replaceAll("(?s).*peak in flight (\\d+).*", "$1"));
            // a finishing task frees its place just before it leaves the in-flight count: each of the
            // pool's 2 threads may show one such task beside a full bound
            assertThat(peak).isLessThanOrEqualTo(Config.DEFAULT_MAX_TASKS_IN_FLIGHT + 2);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The child JVM: submits, then closes the pool (which waits for every task). */
    public static final class Child {
        public static void main(String[] args) {
            int n = Integer.parseInt(args[1]);
            Config config = Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).runDir(Path.of(args[0])).build();
            TaskFunction<byte[], Integer> length = b -> b.length;
            long peak = 0;
            DataFlowKernel dfk;
            try (ParslPoolExecutor pool = new ParslPoolExecutor(config)) {
                dfk = pool.dfk();
                for (int i = 0; i < n; i++) {
                    byte[] argument = new byte[1024];
                    argument[0] = (byte) i;
                    pool.submit(length, argument);
                    if ((i & 1023) == 0) {
                        peak = Math.max(peak, dfk.tasksInFlight());
                    }
                }
            }
            System.out.println("done " + dfk.taskStateCount(TaskState.EXEC_DONE) + " of " + n + ", peak in flight " + peak);
        }
    }
}
