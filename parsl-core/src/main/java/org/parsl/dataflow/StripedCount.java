package org.parsl.dataflow;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count that only grows, written by many threads and summed now and then: a {@code LongAdder}
 * whose threads never share a cell by chance. Each thread adds to the cell of its thread id (modulo
 * {@value #CELLS}), each cell on a cache line of its own; so the threads of one executor, which a
 * pool creates one after the other with consecutive ids, each write their own line.
 *
 * <p>Why not a {@code LongAdder}: it picks a cell by a random per-thread probe, keeps at most as many
 * cells as cores, and moves a thread to another cell only when a compare-and-set on its cell fails.
 * Two executor threads on a two-core machine that hash to the same cell therefore keep sharing it:
 * their adds rarely collide at the same instant, so they never move, yet every add takes the line
 * from the other core. In JFR that was a fifth of a worker's time for a no-op task, three counts per
 * task (permits given back, tasks ended, tasks per final state).
 *
 * <p>Thread safety: lock-free. Like {@code LongAdder.sum()}, {@link #sum()} is not a snapshot: it
 * lies between the count at its start and the count at its end (the cells only grow).
 */
final class StripedCount {

    /** Cells, a power of two; more threads than this share cells (correct, only slower). */
    static final int CELLS = 16;
    /** Longs per cell: 128 bytes, so that no two cells share a 64-byte line, nor an adjacent-line prefetch pair. */
    private static final int STRIDE = 16;

    /** Cell i is element (i + 1) * STRIDE: the first and last STRIDE elements pad the array's ends. */
    private final AtomicLongArray cells = new AtomicLongArray((CELLS + 2) * STRIDE);

    /** Adds one to the calling thread's cell. */
    void increment() {
        cells.getAndIncrement(slotOf(Thread.currentThread().getId()));
    }

    /** The count: the sum of the cells (see the class description). */
    long sum() {
        long s = 0;
        for (int i = 1; i <= CELLS; i++) {
            s += cells.get(i * STRIDE);
        }
        return s;
    }

    /** The array index of the cell of the thread with this id. */
    static int slotOf(long threadId) {
        return ((int) (threadId & (CELLS - 1)) + 1) * STRIDE;
    }

    @Override
    public String toString() {
        return Long.toString(sum());
    }
}
