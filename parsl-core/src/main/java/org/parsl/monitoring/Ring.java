package org.parsl.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A lock-free ring of the last {@code capacity} values added. Writers never wait; a reader sees a
 * value once its slot is written and skips slots that a writer has claimed but not yet filled.
 */
final class Ring<T> {

    private record Entry<T>(long sequence, T value) {
    }

    private final AtomicReferenceArray<Entry<T>> slots;
    private final AtomicLong next = new AtomicLong();
    private final int capacity;

    Ring(int capacity) {
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /** Claims the next sequence number; pass it to {@link #put}. */
    long claim() {
        return next.getAndIncrement();
    }

    void put(long sequence, T value) {
        slots.set((int) (sequence % capacity), new Entry<>(sequence, value));
    }

    /** How many values were ever claimed. */
    long count() {
        return next.get();
    }

    int capacity() {
        return capacity;
    }

    /** The values held, oldest first. */
    List<T> snapshot() {
        long hi = next.get();
        long lo = Math.max(0, hi - capacity);
        List<T> list = new ArrayList<>((int) (hi - lo));
        for (long s = lo; s < hi; s++) {
            Entry<T> e = slots.get((int) (s % capacity));
            if (e != null && e.sequence == s) {
                list.add(e.value);
            }
        }
        return list;
    }
}
