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
            reaction.run();
            Runnable next;
            while ((next = queue.poll()) != null) {
                next.run();
            }
        } finally {
            QUEUE.remove();
        }
    }
}
