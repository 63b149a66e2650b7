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


/**
 * A worker's task slots: one thread per slot, {@code parsl-worker-slot-N}, that runs the tasks its
 * links deliver ({@link KernelLinks}). A link's reader thread opens a task frame, checks it was not seen
 * before (a replay) and decodes it, then hands its tasks to idle slots — one hand-over between the
 * socket and the task. Executors send a worker at most its room (free slots plus
 * {@code prefetchCapacity}) of tasks it has not reported on: pull, not push. Frames that do not
 * authenticate, were seen before, or are malformed are dropped and counted; a task whose classes are
 * refused fails alone, the slot goes on.
 */
final class Slots {

    private static final Logger log = LoggerFactory.getLogger(Slots.class);
    /** A task delivered on a link of a label. */
    record Work(String label, TaskBatch.Task task) {
    }

    private final String workerId;
    private final int slots;
    private final List<String> accelerators;
    private final Map<Class<?>, Object> services;
    private final Frames frames;
    private final Allowlist allowlist;
    private final ResultSender sender;
    private final TaskBatch.LoadedFunctions functions = new TaskBatch.LoadedFunctions();
    private final Nonces nonces = new Nonces(200_000);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Work> local = new ArrayDeque<>();
    private boolean closing;

    private final AtomicInteger busy = new AtomicInteger();
    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> cancelled = new ConcurrentHashMap<>();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long retireAfterNanos;
    private int retired;

    Slots(String workerId, int slots, List<String> accelerators, Map<Class<?>, Object> services, Frames frames, Allowlist allowlist,
            ResultSender sender, long retireAfterMillis) {
        this.retireAfterNanos = TimeUnit.MILLISECONDS.toNanos(retireAfterMillis);
        this.workerId = workerId;
        this.slots = slots;
        this.accelerators = accelerators;
        this.services = services;
        this.frames = frames;
        this.allowlist = allowlist;
        this.sender = sender;
    }

    void start() {
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

    /** Tasks delivered and not started yet. */
    int queued() {
        lock.lock();
        try {
            return local.size();
        } finally {
            lock.unlock();
        }
    }

    private void loop(int slot) {
        WorkerContext context = new WorkerContext(workerId, slot, slot < accelerators.size() ? accelerators.get(slot) : null, services);
        while (true) {
            Work work;
            lock.lock();
            try {
                while ((work = local.poll()) == null) {
                    if (closing) {
                        return;
                    }
                    changed.await();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (!run(work, context)) {
                return; // retired: the slot runs on a fresh thread now
            }
        }
    }

    /**
     * Opens a task frame that came on a link and hands its tasks to the slots (a link's reader thread
     * calls it). Once the worker is closing, they are reported as {@link WorkerLost} at once, so their
     * DataFlowKernels retry them elsewhere.
     */
    void deliver(String label, String channel, byte[] frame) {
        List<Work> taken = new ArrayList<>();
        decode(label, channel, frame, taken);
        if (taken.isEmpty()) {
            return;
        }
        boolean tooLate;
        lock.lock();
        try {
            tooLate = closing;
            if (!tooLate) {
                for (Work w : taken) {
                    local.add(w);
                    changed.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (tooLate) {
            for (Work w : taken) {
                report(w, new WorkerLost(workerId, "worker '" + workerId + "' was stopping when task " + w.task().taskId() + " came"));
            }
        }
    }

    private void decode(String label, String channel, byte[] frame, List<Work> taken) {
        Frames.Opened o = frames.open(frame, Frames.TASKS, channel);
        if (o == null) {
            log.warn("worker {}: dropped a frame of '{}' that is not an authentic task frame of its link; {} dropped so far",
                    workerId, label, frames.dropped());
            return;
        }
        if (!nonces.firstTime(o.nonce())) {
            frames.countDropped();
            log.warn("worker {}: dropped a task frame of '{}' seen before (a replay)", workerId, label);
            return;
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
                    // acknowledged already: say its body is done, so the DataFlowKernel gives its slot to another task
                    report(work, new java.util.concurrent.CancellationException(t.taskId() + " (" + t.name() + ") was cancelled before it started"));
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
        sender.report(work.label(), t, Frames.RESULT, bytes, queued() > 0);
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
     * Stops running new tasks, reports the tasks delivered but not started as {@link WorkerLost} (their
     * DataFlowKernels retry them), waits up to {@code graceMillis} for running tasks, then interrupts them.
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
            while (t.isAlive() && System.currentTimeMillis() < deadline) {
                join(t, Math.min(50, Math.max(1, deadline - System.currentTimeMillis())));
            }
        }
        for (Running r : running.values()) {
            r.interrupt();
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
