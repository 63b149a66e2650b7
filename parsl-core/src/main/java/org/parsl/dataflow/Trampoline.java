package org.parsl.dataflow;

import java.util.ArrayDeque;

/**
 * Runs DataFlowKernel reactions (launch a task whose dependencies are done, fail a dependent) without
 * recursion: a reaction triggered while another runs on the same thread is queued and run after it.
 * Without this, a failure at the head of a chain of 100,000 pending tasks would fail each dependent
 * from inside the previous one's completion, one stack frame group per task.
 */
final class Trampoline {

    private static final ThreadLocal<ArrayDeque<Runnable>> QUEUE = new ThreadLocal<>();

    private Trampoline() {
    }

    static void run(Runnable reaction) {
        ArrayDeque<Runnable> queue = QUEUE.get();
        if (queue != null) {
            queue.add(reaction);
            return;
        }
        queue = new ArrayDeque<>();
        QUEUE.set(queue);
        try {
            runSafely(reaction);
            Runnable next;
            while ((next = queue.poll()) != null) {
                runSafely(next);
            }
        } finally {
            QUEUE.remove();
        }
    }

    /** One failing reaction must not drop the ones queued behind it. */
    private static void runSafely(Runnable reaction) {
        try {
            reaction.run();
        } catch (RuntimeException | LinkageError e) {
            org.slf4j.LoggerFactory.getLogger(Trampoline.class).error("a task reaction failed: {}", reaction, e);
        }
    }
}
