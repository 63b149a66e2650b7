package org.parsl.dataflow;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A volatile {@code long} alone on its cache line: for a count that one side writes on every task —
 * the submitting threads' count of admitted tasks, say — while the other side (executor threads)
 * reads or writes fields nearby. A plain field or {@code AtomicLong} may share a 64-byte line with
 * such neighbours, and then every write on one side costs the other a cache miss (false sharing).
 *
 * <p>The value is the middle element of a 16-long array: whichever 64-byte line holds it lies inside
 * the array, whose other elements nobody touches.
 */
final class PaddedLong {

    private static final int SLOT = 8;

    private final AtomicLongArray cells = new AtomicLongArray(2 * SLOT);

    long get() {
        return cells.get(SLOT);
    }

    void set(long value) {
        cells.set(SLOT, value);
    }

    boolean compareAndSet(long expected, long value) {
        return cells.compareAndSet(SLOT, expected, value);
    }

    long incrementAndGet() {
        return cells.incrementAndGet(SLOT);
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
