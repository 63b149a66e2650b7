package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

class ParslDataFlowKernelLifecycleTest {

    @TempDir
    static Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class))
            .withPropertyValues("parsl.run-dir=" + runDir, "parsl.executors.cpu.max-threads=1");

    @Test
    void closingTheContextLetsARunningTaskFinishWithinTheTimeout() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AppFuture<?>[] task = new AppFuture<?>[1];
        DataFlowKernel[] dfk = new DataFlowKernel[1];
        runner.withPropertyValues("parsl.shutdown-timeout=20s").run(context -> {
            ParslPoolExecutor cpu = context.getBean("cpu", ParslPoolExecutor.class);
            dfk[0] = cpu.dfk();
            task[0] = cpu.submit(() -> {
                started.countDown();
                release.await();
                return "finished";
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            Thread releaser = new Thread(() -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(context));
                release.countDown();
            });
            releaser.start();
        });
        // the runner closed the context: the task was let finish, then the kernel was cleaned up
        assertThat(task[0].join()).isEqualTo("finished");
        assertThat(task[0].state()).isEqualTo(TaskState.EXEC_DONE);
        assertThat(dfk[0].isClosed()).isTrue();
    }

    @Test
    void aTaskStillRunningAfterTheTimeoutIsCancelled() {
        CountDownLatch started = new CountDownLatch(1);
        AppFuture<?>[] task = new AppFuture<?>[1];
        runner.withPropertyValues("parsl.shutdown-timeout=200ms").run(context -> {
            task[0] = context.getBean("cpu", ParslPoolExecutor.class).submit(() -> {
                started.countDown();
                new CountDownLatch(1).await(); // until interrupted
                return "never";
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        });
        assertThat(task[0].isCancelled()).isTrue();
        assertThat(task[0].state()).isEqualTo(TaskState.CANCELLED);
        assertThat(task[0]).failsWithin(Duration.ZERO).withThrowableThat().isInstanceOf(CancellationException.class);
    }

    @Test
    void theKernelStopsAfterTheWebServerAndStartsBeforeIt() {
        // lifecycle beans start from low to high phases and stop from high to low
        assertThat(ParslDataFlowKernelLifecycle.PHASE)
                .isLessThan(org.springframework.boot.web.server.context.WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
                .isLessThan(org.springframework.boot.web.server.context.WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
    }

    private static boolean isRunning(ConfigurableApplicationContext context) {
        return context.getBean(ParslDataFlowKernelLifecycle.class).isRunning();
    }
}
