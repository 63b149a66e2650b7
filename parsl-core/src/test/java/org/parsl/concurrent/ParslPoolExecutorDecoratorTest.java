package org.parsl.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.TaskCallable;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ThreadPoolExecutor;

/** A pool's local task decorator: applied on the submitting thread, its result runs around every try. */
class ParslPoolExecutorDecoratorTest {

    private static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

    @TempDir
    Path runDir;

    /** Copies the submitter's CONTEXT to the thread that runs the task, as an MDC decorator does. */
    private static final UnaryOperator<Runnable> COPY_CONTEXT = task -> {
        String captured = CONTEXT.get();
        return () -> {
            CONTEXT.set(captured);
            try {
                task.run();
            } finally {
                CONTEXT.remove();
            }
        };
    };

    @Test
    void theSubmittersContextIsSeenByTheTaskOnThePoolsThread() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).runDir(runDir).build());
                ParslPoolExecutor pool = new ParslPoolExecutor(dfk, List.of("cpu"), COPY_CONTEXT)) {
            CONTEXT.set("caller");
            try {
                TaskCallable<String> seen = () -> CONTEXT.get() + "@" + Thread.currentThread().getName();
                assertThat(pool.submit(seen).get(10, TimeUnit.SECONDS)).startsWith("caller@parsl-cpu-worker-");
            } finally {
                CONTEXT.remove();
            }
        }
    }

    @Test
    void everyTryRunsThroughTheDecoratorAndAFailureStillFailsTheTask() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        UnaryOperator<Runnable> counting = task -> () -> {
            runs.incrementAndGet();
            task.run();
        };
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).retries(1)
                        .runDir(runDir).build());
                ParslPoolExecutor pool = new ParslPoolExecutor(dfk, List.of(), counting)) {
            TaskCallable<String> fails = () -> {
                throw new IllegalStateException("no");
            };
            assertThatThrownBy(() -> pool.submit(fails).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(runs).hasValue(2);
        }
    }

    @Test
    void aPoolWithoutDecoratorRunsTasksPlain() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).runDir(runDir).build());
                ParslPoolExecutor pool = new ParslPoolExecutor(dfk, List.of("cpu"))) {
            CONTEXT.set("caller");
            try {
                TaskCallable<String> seen = CONTEXT::get;
                assertThat(pool.submit(seen).get(10, TimeUnit.SECONDS)).isNull();
            } finally {
                CONTEXT.remove();
            }
        }
    }
}
