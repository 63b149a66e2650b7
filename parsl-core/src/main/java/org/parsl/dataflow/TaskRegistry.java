package org.parsl.dataflow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The records of one DataFlowKernel's unfinished tasks, for what needs them all: waiting for the
 * tasks, cancelling them at cleanup, a pool's tasks, and the counts of the non-final states. A task
 * counts as unfinished until its future has completed.
 *
 * <p>Why not a {@code ConcurrentHashMap} keyed by id: the submitting thread put each task and an
 * executor's thread removed it, so the map's size counter (as few cells as cores) and its table moved
 * between them twice per task, and every put stored a new node into a long-lived table (a G1 write
 * barrier with a fence). In JFR that map was half of the submitting thread's time for a no-op task.
 *
 * <p>How it works: only submitting threads write here. A task's record goes into the newest chunk of
 * {@value #CHUNK} slots; finishing a task writes nothing here (its future is done, which is how a
 * sweep knows it). Sweeps clear the slots of finished tasks and drop chunks with no unfinished task
 * left: whenever a chunk fills up (the oldest chunks, usually done first, and one more in turn, so
 * that a long task cannot keep the chunks behind it alive), whenever the records are read, and, so
 * that a submitter that stops does not keep records around, now and then from a finishing thread
 * when the lock is free ({@link #sweepSoon()}). Memory stays bounded by the tasks in flight: a chunk
 * is kept only while one of its tasks is unfinished, and a finished task's record is dropped by the
 * next sweep of its chunk.
 *
 * <p>Thread safety: every method may be called from any thread. One lock guards the chunks; it is
 * taken by submitters (uncontended with one submitting thread), by readers (rare: a read is a pass
 * over the tasks in flight), and by a finishing thread only if it is free.
 */
final class TaskRegistry {

    static final int CHUNK = 256;

    /** A finishing thread tries a sweep once per this many tasks (a power of two). */
    private static final int SWEEP_EVERY = 4096;

    private static final class Chunk {
        final Task[] slots = new Task[CHUNK];
        int filled;
        Chunk prev;
        Chunk next;
        boolean unlinked;
    }

    /** Guards every field below and every chunk. */
    private final ReentrantLock lock = new ReentrantLock();
    /*
     * There is always a newest chunk, even before the first task: a registry that starts without one
     * takes a branch on its first add that a compiled submit path has never seen, and the JIT then
     * throws that whole compiled path away (once more for every new DataFlowKernel that comes first
     * to a freshly compiled path).
     */
    private Chunk head = new Chunk();
    private Chunk tail = head;
    /** The next chunk to sweep in turn when one fills up. */
    private Chunk cursor;

    /** Adds a new task's record. */
    void add(Task task) {
        lock.lock();
        try {
            if (tail.filled == CHUNK) {
                sweepSome();
                Chunk c = new Chunk();
                c.prev = tail;
                tail.next = c;
                tail = c;
            }
            tail.slots[tail.filled++] = task;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by a finishing thread with its task: once per {@value #SWEEP_EVERY} tasks, sweeps a little
     * if no other thread holds the lock. Never blocks.
     */
    void sweepSoon(Task finished) {
        if ((finished.id() & (SWEEP_EVERY - 1)) == 0 && lock.tryLock()) {
            try {
                sweepSome();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The unfinished tasks now, in submission order (a new list). */
    List<Task> snapshot() {
        List<Task> live = new ArrayList<>();
        lock.lock();
        try {
            for (Chunk c = head; c != null; ) {
                Chunk next = c.next;
                if (sweep(c, live) == 0) {
                    unlink(c);
                }
                c = next;
            }
        } finally {
            lock.unlock();
        }
        return live;
    }

    /** How many tasks are unfinished now. */
    int size() {
        lock.lock();
        try {
            int n = 0;
            for (Chunk c = head; c != null; ) {
                Chunk next = c.next;
                int live = sweep(c, null);
                if (live == 0) {
                    unlink(c);
                }
                n += live;
                c = next;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** The oldest chunks while they are done, then one chunk in turn. Under the lock. */
    private void sweepSome() {
        while (head != null && head != tail && sweep(head, null) == 0) {
            unlink(head);
        }
        Chunk c = cursor == null || cursor.unlinked ? head : cursor;
        if (c != null) {
            cursor = c.next;
            if (sweep(c, null) == 0) {
                unlink(c);
            }
        }
    }

    /** Clears the slots of finished tasks; adds the unfinished ones to {@code live} if given; returns how many are unfinished. */
    private static int sweep(Chunk c, List<Task> live) {
        int n = 0;
        Task[] slots = c.slots;
        for (int i = 0; i < c.filled; i++) {
            Task t = slots[i];
            if (t != null) {
                if (t.future.isDone()) {
                    slots[i] = null;
                } else {
                    n++;
                    if (live != null) {
                        live.add(t);
                    }
                }
            }
        }
        return n;
    }

    /** Drops a chunk with no unfinished task; the newest chunk stays, as it is being filled. */
    private void unlink(Chunk c) {
        if (c == tail) {
            return;
        }
        if (c.prev == null) {
            head = c.next;
        } else {
            c.prev.next = c.next;
        }
        c.next.prev = c.prev; // c is not the tail, so it has a next
        if (cursor == c) {
            cursor = c.next;
        }
        c.unlinked = true;
    }
}
