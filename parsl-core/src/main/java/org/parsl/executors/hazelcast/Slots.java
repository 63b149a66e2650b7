package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.parsl.app.TaskCallable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;

/**
 * A worker's task slots: one thread per slot, {@code parsl-worker-slot-N}, that both takes and runs
 * tasks, so a short task goes from Hazelcast to its result with no hand-over between threads.
 *
 * <p>Taking is leader/followers: an idle slot with nothing prefetched becomes the taker of a label
 * (one per label at a time), takes as many frames as the worker has room for — free slots plus
 * {@code prefetchCapacity}, counted in tasks — in one call ({@code drainTo}, or a blocking
 * {@code poll} when the queue is empty), keeps the first task for itself, leaves the rest for the
 * other slots, and stops being the taker before it runs its task. A worker never takes while it has no
 * room (pull, not push). Frames that do not authenticate, or that were seen before (a replay), are
 * dropped and counted; a task whose classes are refused fails alone, the slot goes on.
 */
final class Slots {

    private static final Logger log = LoggerFactory.getLogger(Slots.class);
    private static final long POLL_MILLIS = 250;
    /**
     * How long a taker's {@code poll} waits on the member. At least 1.5 s on purpose: Hazelcast keeps a
     * parked operation with a shorter timeout in a delay queue that one member thread expires entry by
     * entry (a stale entry per answered poll: thousands of wake-ups a second when tasks are short),
     * while longer ones are swept periodically. Measured on a member with one client: a round trip of
     * 0.18–0.21 ms with a 250 ms poll, 0.13–0.16 ms with 2 s. {@link #close} interrupts a waiting taker.
     */
    static final long TAKE_WAIT_MILLIS = 2_000;

    /** A task taken from a label's queue. */
    record Work(String label, TaskBatch.Task task) {
    }

    private final String workerId;
    private final int slots;
    private final int prefetch;
    private final List<String> labels;
    private final List<String> accelerators;
    private final Map<Class<?>, Object> services;
    private final Frames frames;
    private final Allowlist allowlist;
    private final ResultSender sender;
    private final List<IQueue<Object>> queues = new ArrayList<>();
    private final TaskBatch.LoadedFunctions functions = new TaskBatch.LoadedFunctions();
    private final Nonces nonces = new Nonces(200_000);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Work> local = new ArrayDeque<>();
    private final boolean[] leading;
    /** Per label: whether the last take found more than it waited for (then the next one drains instead of waiting). */
    private final boolean[] busyQueue;
    private int runningNow; // slots running a task
    private int reserved; // room promised to takes in progress
    private int nextLabel;
    private double tasksPerFrame = 1;
    private boolean closing;

    private final AtomicInteger busy = new AtomicInteger();
    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> cancelled = new ConcurrentHashMap<>();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Slot threads waiting in a take now (interrupted by {@link #close}). */
    private final java.util.Set<Thread> taking = ConcurrentHashMap.newKeySet();
    private final long retireAfterNanos;
    private int retired;

    Slots(String workerId, int slots, int prefetch, List<String> labels, List<String> accelerators, Map<Class<?>, Object> services,
            Frames frames, Allowlist allowlist, ResultSender sender, long retireAfterMillis) {
        this.retireAfterNanos = TimeUnit.MILLISECONDS.toNanos(retireAfterMillis);
        this.workerId = workerId;
        this.slots = slots;
        this.prefetch = prefetch;
        this.labels = labels;
        this.accelerators = accelerators;
        this.services = services;
        this.frames = frames;
        this.allowlist = allowlist;
        this.sender = sender;
        this.leading = new boolean[labels.size()];
        this.busyQueue = new boolean[labels.size()];
    }

    void start(HazelcastInstance hz) {
        for (String label : labels) {
            queues.add(hz.getQueue(Channels.taskQueue(label)));
        }
        for (int i = 0; i < slots; i++) {
            int slot = i;
            Thread t = new Thread(() -> loop(slot), "parsl-worker-slot-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Tasks running now. */
    int busy() {
        return busy.get();
    }

    private void loop(int slot) {
        WorkerContext context = new WorkerContext(workerId, slot, slot < accelerators.size() ? accelerators.get(slot) : null, services);
        while (true) {
            Work work = null;
            int lead = -1;
            int reservation = 0;
            lock.lock();
            try {
                while (true) {
                    if (closing) {
                        return;
                    }
                    work = local.poll();
                    if (work != null) {
                        runningNow++;
                        break;
                    }
                    int room = room();
                    if (room > 0) {
                        lead = freeLabel();
                        if (lead >= 0) {
                            leading[lead] = true;
                            reservation = room;
                            reserved += room;
                            break;
                        }
                    }
                    changed.await();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (lead >= 0) {
                work = take(lead, reservation); // counts itself running when it keeps a task
            }
            if (work == null) {
                continue;
            }
            boolean stays = true;
            try {
                stays = run(work, context);
            } finally {
                if (stays) {
                    lock.lock();
                    try {
                        runningNow--;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
            if (!stays) {
                return; // retired: the slot runs on a fresh thread now
            }
        }
    }

    /** Tasks the worker may still take: free slots plus prefetch, less what is prefetched or being taken. Under the lock. */
    private int room() {
        return slots + prefetch - runningNow - local.size() - reserved;
    }

    private int freeLabel() {
        for (int i = 0; i < leading.length; i++) {
            int l = (nextLabel + i) % leading.length;
            if (!leading[l]) {
                nextLabel = l + 1;
                return l;
            }
        }
        return -1;
    }

    /**
     * Takes frames of one label for {@code reservation} tasks of room; returns this slot's task (then
     * counted as running) or null, and leaves the rest for the other slots.
     */
    private Work take(int labelIndex, int reservation) {
        String label = labels.get(labelIndex);
        List<Object> items = new ArrayList<>();
        List<Work> taken = new ArrayList<>();
        boolean tooLate = false;
        try {
            double perFrame;
            lock.lock();
            try {
                perFrame = tasksPerFrame;
            } finally {
                lock.unlock();
            }
            int frames = Math.max(1, (int) Math.floor(reservation / Math.max(1.0, perFrame)));
            IQueue<Object> queue = queues.get(labelIndex);
            try {
                // One call per take: while the queue has been busy, drain up to the room at once; when it
                // has been quiet, wait for the next frame (a drain would cost a round trip and find nothing).
                if (busyQueue[labelIndex]) {
                    queue.drainTo(items, frames);
                }
                if (items.isEmpty()) {
                    Object one;
                    taking.add(Thread.currentThread());
                    try {
                        if (isClosing()) {
                            throw new InterruptedException(); // close() may have looked before this thread was listed
                        }
                        one = queue.poll(TAKE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    } finally {
                        taking.remove(Thread.currentThread());
                    }
                    if (one != null) {
                        items.add(one);
                    }
                    busyQueue[labelIndex] = false;
                }
                if (items.size() > 1 || (items.size() == 1 && frames == 1)) {
                    busyQueue[labelIndex] = true;
                } else if (!items.isEmpty() && frames > 1) {
                    busyQueue[labelIndex] = items.size() > 1;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!isClosing()) {
                    log.warn("worker {}: taking tasks of '{}' failed; retrying: {}", workerId, label, e.toString());
                    pause();
                }
            } finally {
                lock.lock();
                try {
                    leading[labelIndex] = false; // another slot may take while this one reads what it took
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            decode(label, items, taken);
        } finally {
            lock.lock();
            try {
                reserved -= reservation;
                tooLate = closing;
                if (!items.isEmpty() && !taken.isEmpty()) {
                    tasksPerFrame = 0.7 * tasksPerFrame + 0.3 * ((double) taken.size() / items.size());
                }
                if (!tooLate && !taken.isEmpty()) {
                    runningNow++;
                    for (int i = 1; i < taken.size(); i++) {
                        local.add(taken.get(i));
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        if (tooLate) {
            for (Work w : taken) {
                report(w, new WorkerLost(workerId, "worker '" + workerId + "' stopped before task " + w.task().taskId() + " started"));
            }
            return null;
        }
        return taken.isEmpty() ? null : taken.get(0);
    }

    private void decode(String label, List<Object> items, List<Work> taken) {
        String channel = Channels.taskQueue(label);
        for (Object item : items) {
            Frames.Opened o = frames.open(item, Frames.TASKS, channel);
            if (o == null) {
                log.warn("worker {}: dropped an item of '{}' that is not an authentic task frame (another secret, or forged); {} dropped so far",
                        workerId, label, frames.dropped());
                continue;
            }
            if (!nonces.firstTime(o.nonce())) {
                frames.countDropped();
                log.warn("worker {}: dropped a task frame of '{}' seen before (a replay)", workerId, label);
                continue;
            }
            try {
                for (TaskBatch.Task t : TaskBatch.read(o)) {
                    taken.add(new Work(label, t));
                }
            } catch (IOException | RuntimeException e) {
                frames.countDropped();
                log.warn("worker {}: dropped a malformed task frame of '{}': {}", workerId, label, e.toString());
            }
        }
    }

    private boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS); // the cluster is unreachable: do not spin while the client reconnects
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a task; false when the task was retired while it ran (this thread then leaves the slot). */
    private boolean run(Work work, WorkerContext context) {
        TaskBatch.Task t = work.task();
        String key = t.key();
        if (cancelled.remove(key) != null) {
            return true;
        }
        Running r = new Running(Thread.currentThread(), work, context.slot());
        boolean stays = true;
        running.put(key, r);
        busy.incrementAndGet();
        sender.taken(work.label(), t);
        Object result = null;
        Throwable failure = null;
        try {
            TaskCallable<?> body;
            try {
                body = t.body(functions, allowlist);
            } catch (Allowlist.NotAllowed e) {
                report(work, new IllegalArgumentException(t.taskId() + " (" + t.name() + ") was refused by worker " + workerId + ": "
                        + e.getMessage()));
                return true;
            } catch (ClassNotFoundException e) {
                report(work, new IllegalStateException("task " + t.taskId() + " (" + t.name() + ") cannot run on worker " + workerId
                        + ": class " + e.getMessage() + " is not on the worker's class path; start workers with the application's"
                        + " classes (LocalProvider's default command does)"));
                return true;
            } catch (IOException | RuntimeException | LinkageError e) {
                report(work, new IllegalStateException("task " + t.taskId() + " (" + t.name() + ") could not be read on worker "
                        + workerId + ": " + e));
                return true;
            }
            WorkerContext.set(context);
            try {
                if (cancelled.remove(key) != null) {
                    return true;
                }
                result = body.call();
            } catch (Throwable e) {
                failure = e;
            } finally {
                WorkerContext.set(null);
            }
        } finally {
            stays = r.finish();
            if (stays) {
                running.remove(key, r);
                busy.decrementAndGet();
            }
        }
        if (!stays) {
            return false; // retired: its end was reported and the slot has a new thread
        }
        if (failure != null) {
            report(work, failure);
            return true;
        }
        byte[] bytes;
        try {
            bytes = Payloads.value(result);
        } catch (IOException | RuntimeException e) {
            report(work, new IllegalArgumentException("the result of task " + t.taskId() + " (" + t.name() + ") is a "
                    + result.getClass().getName() + ", which is not serializable (" + e.getMessage() + "): return a Serializable value"));
            return true;
        }
        sender.report(work.label(), t, Frames.RESULT, bytes);
        return true;
    }

    private void report(Work work, Throwable failure) {
        sender.report(work.label(), work.task(), Frames.ERROR, Payloads.error(failure));
    }

    /** Handles an authentic cancel request: drops the task if it has not started, interrupts it if asked and it runs. */
    void cancel(Frames.Cancel c) {
        Running r = running.get(c.key());
        if (r != null) {
            if (c.interrupt()) {
                r.interrupt();
            }
        } else {
            cancelled.put(c.key(), System.nanoTime());
        }
    }

    /** Forgets cancel requests for tasks that never came (older than ten minutes). */
    void expireCancels() {
        long old = System.nanoTime() - TimeUnit.MINUTES.toNanos(10);
        cancelled.values().removeIf(t -> t < old);
        retireStuck();
    }

    /**
     * Retires tasks that ignored their interrupt (a cancel or a walltime) for {@code retireAfter}: each
     * fails with a {@link java.util.concurrent.CancellationException} saying so, and its slot gets a
     * fresh thread, so the slot serves again although the old body may never return.
     */
    void retireStuck() {
        long now = System.nanoTime();
        for (Map.Entry<String, Running> e : running.entrySet()) {
            Running r = e.getValue();
            if (!r.retireIfStuck(now, retireAfterNanos)) {
                continue;
            }
            running.remove(e.getKey(), r);
            busy.decrementAndGet();
            TaskBatch.Task t = r.work.task();
            log.warn("worker {}: task {} ({}) ignored its interrupt for {} ms; its slot thread {} is retired and replaced",
                    workerId, t.taskId(), t.name(), TimeUnit.NANOSECONDS.toMillis(retireAfterNanos), r.thread.getName());
            report(r.work, new java.util.concurrent.CancellationException("task " + t.taskId() + " (" + t.name()
                    + ") ignored its interrupt for " + TimeUnit.NANOSECONDS.toMillis(retireAfterNanos) + " ms; worker " + workerId
                    + " retired its slot thread and started a fresh one"));
            lock.lock();
            try {
                runningNow--;
                if (!closing) {
                    int slot = r.slot;
                    Thread fresh = new Thread(() -> loop(slot), "parsl-worker-slot-" + slot + "-r" + (++retired));
                    fresh.setDaemon(true);
                    threads.add(fresh);
                    fresh.start();
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Stops taking, reports the tasks taken but not started as {@link WorkerLost} (their DataFlowKernels
     * retry them), waits up to {@code graceMillis} for running tasks, then interrupts them. A slot
     * waiting in a take is left waiting: its poll ends when the client shuts down (see
     * {@link #stopTaking}), and interrupting a thread in a Hazelcast client call completes the call's
     * future a second time at shutdown, which Hazelcast logs as a warning with a stack trace.
     */
    void close(long graceMillis) {
        List<Work> notStarted;
        lock.lock();
        try {
            closing = true;
            notStarted = new ArrayList<>(local);
            local.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Work w : notStarted) {
            report(w, new WorkerLost(workerId, "worker '" + workerId + "' stopped before task " + w.task().taskId() + " started"));
        }
        long deadline = System.currentTimeMillis() + graceMillis;
        for (Thread t : threads) {
            // a thread listed as taking after closing was set only waits in its poll, which it does not
            // leave for the grace period (it ends when the client shuts down); the others finish their task
            while (t.isAlive() && !taking.contains(t) && System.currentTimeMillis() < deadline) {
                join(t, Math.min(50, Math.max(1, deadline - System.currentTimeMillis())));
            }
        }
        for (Running r : running.values()) {
            r.interrupt();
        }
        for (Thread t : threads) {
            if (!taking.contains(t)) {
                join(t, 1_000);
            }
        }
    }

    /**
     * After {@link #close}: ends the takes still waiting. A frame the member hands to such a take from
     * now on is not taken: its try is never acknowledged, and the DataFlowKernel retries it
     * (WorkerRegistry's deadline).
     *
     * @param clientShutDown whether the client has been shut down (then its waiting calls have failed,
     *        and the takers only need to be awaited); else they are interrupted
     */
    void stopTaking(boolean clientShutDown) {
        if (!clientShutDown) {
            for (Thread t : taking) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            join(t, 1_000);
        }
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A task running on a slot thread; interrupts it only while it runs. A task that ignores its
     * interrupt for too long is retired: its thread is abandoned (it ends whenever the body returns,
     * reporting nothing) and a fresh thread takes over the slot.
     */
    private static final class Running {
        private final Thread thread;
        final Work work;
        final int slot;
        private boolean done;
        private boolean retired;
        private long interruptedNanos;

        Running(Thread thread, Work work, int slot) {
            this.thread = thread;
            this.work = work;
            this.slot = slot;
        }

        synchronized void interrupt() {
            if (!done) {
                if (interruptedNanos == 0) {
                    interruptedNanos = System.nanoTime();
                }
                thread.interrupt();
            }
        }

        /** Retires it if it has ignored its interrupt for longer than {@code graceNanos}; true if it did. */
        synchronized boolean retireIfStuck(long now, long graceNanos) {
            if (done || retired || interruptedNanos == 0 || now - interruptedNanos < graceNanos) {
                return false;
            }
            retired = true;
            return true;
        }

        /** Ends the run; false when it was retired meanwhile (its thread must then leave the slot). */
        synchronized boolean finish() {
            done = true;
            Thread.interrupted(); // an interrupt meant for this task must not hit the next one
            return !retired;
        }
    }
}
