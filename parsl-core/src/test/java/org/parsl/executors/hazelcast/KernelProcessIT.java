package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.providers.LocalProvider;

/**
 * The DataFlowKernel's own JVM ends: killed ({@code kill -9}: its workers must not outlive it), or
 * asked to stop ({@code SIGTERM}, the application's shutdown hook closes the DataFlowKernel: the
 * running remote tasks finish before the workers stop — no hook of ours races it).
 */
class KernelProcessIT {

    @TempDir
    Path dir;

    private Process start(String mode, Path out) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(HazelcastWorker.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Kernel.class.getName(), dir.resolve("runinfo").toString(), mode));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static String read(Path out) {
        try {
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stop(Process kernel, List<ProcessHandle> workers) throws InterruptedException {
        kernel.destroyForcibly();
        kernel.waitFor(30, TimeUnit.SECONDS);
        workers.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void killMinusNineOfTheKernelsJvmLeavesNoWorkerAliveFifteenSecondsLater() throws Exception {
        Path out = dir.resolve("kernel.log");
        Process kernel = start("kill", out);
        List<ProcessHandle> workers = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> read(out).contains("ready") || !kernel.isAlive());
            assertThat(read(out)).contains("ready");
            kernel.descendants().forEach(workers::add);
            assertThat(workers).as("worker JVMs of the kernel").isNotEmpty();
            kernel.destroyForcibly(); // SIGKILL: no hook of the kernel runs
            assertThat(kernel.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(15)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            stop(kernel, workers);
        }
    }

    @Test
    void onSigtermTheApplicationsOwnCloseLetsTheRunningRemoteTasksFinish() throws Exception {
        Path out = dir.resolve("kernel.log");
        Process kernel = start("drain", out);
        List<ProcessHandle> workers = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> read(out).contains("ready") || !kernel.isAlive());
            assertThat(read(out)).contains("ready");
            kernel.descendants().forEach(workers::add);
            kernel.destroy(); // SIGTERM while ten 2 s tasks run
            assertThat(kernel.waitFor(60, TimeUnit.SECONDS)).as("kernel output:%n%s", read(out)).isTrue();
            String output = read(out);
            for (int i = 0; i < 10; i++) {
                assertThat(output).as("kernel output:%n%s", output).contains("result " + i + " = " + (i * 2));
            }
            assertThat(output).doesNotContain("failed");
        } finally {
            stop(kernel, workers);
        }
    }

    /** The kernel's JVM. Mode {@code kill}: one task, then wait to be killed. Mode {@code drain}: ten 2 s tasks, closed by its own shutdown hook. */
    public static final class Kernel {
        public static void main(String[] args) throws Exception {
            Config config = Config.builder()
                    .executor(ItSupport.executor("hz").maxWorkersPerNode(5).prefetchCapacity(0)
                            .heartbeatPeriod(Duration.ofMillis(500)).heartbeatThreshold(Duration.ofSeconds(3))
                            .provider(LocalProvider.builder().initBlocks(2).maxBlocks(2).build()).build())
                    .strategy("none").runDir(Path.of(args[0])).build();
            DataFlowKernel dfk = Parsl.load(config);
            ParslPoolExecutor pool = new ParslPoolExecutor(dfk);
            TaskCallable<String> where = () -> WorkerContext.current().orElseThrow().workerId();
            pool.submit(where).get(90, TimeUnit.SECONDS);
            if ("drain".equals(args[1])) {
                TaskFunction<Integer, Integer> twoSeconds = x -> {
                    Thread.sleep(2_000);
                    return x * 2;
                };
                List<AppFuture<Integer>> futures = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    futures.add(pool.submit(twoSeconds, i));
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    dfk.close(); // what Spring's graceful shutdown does
                    for (int i = 0; i < futures.size(); i++) {
                        try {
                            System.out.println("result " + i + " = " + futures.get(i).get());
                        } catch (ExecutionException | RuntimeException e) {
                            System.out.println("failed " + i + ": " + (e.getCause() != null ? e.getCause() : e));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    System.out.flush();
                }, "application-shutdown"));
                await().atMost(Duration.ofSeconds(60)).until(() -> futures.stream().anyMatch(f -> f.state().name().equals("RUNNING")));
            }
            System.out.println("ready");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
