package org.parsl.executors.hazelcast;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.parsl.executors.ExecutorTask;

/**
 * The tries of one executor that have not ended, by task id (a task has at most one try in flight).
 * The one home of "which tries are outstanding and who holds them", read by the result reader, the
 * worker registry, the scaler and the status.
 */
final class InFlight {

    private final ConcurrentHashMap<Long, Try> tries = new ConcurrentHashMap<>();
    /** Started tries that were cancelled: their bodies may still run, until their workers report or are lost. */
    private final ConcurrentHashMap<String, Try> draining = new ConcurrentHashMap<>();
    private final AtomicInteger taken = new AtomicInteger();
    private final BiConsumer<Try, Boolean> onCancel;

    /** @param onCancel sends the cancel request of a try already handed to Hazelcast (argument: interrupt) */
    InFlight(BiConsumer<Try, Boolean> onCancel) {
        this.onCancel = onCancel;
    }

    Try add(ExecutorTask task) {
        Try t = new Try(this, task);
        Try old = tries.put(t.taskId, t);
        if (old != null) {
            old.end(); // a superseded older try: its late result must not count
        }
        return t;
    }

    /** The outstanding try with this id and number, or null (ended, superseded or unknown). */
    Try get(long taskId, int tryNumber) {
        Try t = tries.get(taskId);
        return t != null && t.tryNumber == tryNumber ? t : null;
    }

    /** Records that a worker took the try. */
    void taken(Try t, String worker) {
        if (t.worker == null) {
            t.worker = worker;
            if (!t.isEnded()) {
                taken.incrementAndGet();
            }
        }
    }

    void removed(Try t) {
        if (tries.remove(t.taskId, t) && t.worker != null) {
            taken.decrementAndGet();
        }
    }

    void draining(Try t) {
        draining.put(t.taskId + "/" + t.tryNumber, t);
    }

    void forgetDraining(Try t) {
        if (draining.isEmpty()) {
            return; // nearly always: no key to build for a try that was never cancelled while it ran
        }
        draining.remove(t.taskId + "/" + t.tryNumber, t);
    }

    /** A cancelled try whose body may still run, or null. */
    Try drainingTry(long taskId, int tryNumber) {
        return draining.get(taskId + "/" + tryNumber);
    }

    List<Try> drainingSnapshot() {
        return new ArrayList<>(draining.values());
    }

    void cancelled(Try t, boolean interrupt) {
        onCancel.accept(t, interrupt);
    }

    int size() {
        return tries.size();
    }

    int taken() {
        return Math.max(0, taken.get());
    }

    List<Try> snapshot() {
        return new ArrayList<>(tries.values());
    }

    /** Fails every outstanding try (the executor stops). */
    void failAll(Throwable why) {
        for (Try t : snapshot()) {
            t.fail(why);
        }
    }
}
