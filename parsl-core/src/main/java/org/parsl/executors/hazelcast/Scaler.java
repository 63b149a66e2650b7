package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import org.parsl.config.Config;
import org.parsl.providers.Block;
import org.parsl.providers.BlockRequest;
import org.parsl.providers.ExecutionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks of one running executor and Parsl's {@code simple} strategy over them: start
 * {@code initBlocks} at once; while tries are outstanding, keep
 * {@code ceil(outstanding * parallelism / slotsPerBlock)} blocks (between minBlocks and maxBlocks);
 * after {@code maxIdleTime} with nothing outstanding, stop blocks down to minBlocks. Strategy
 * {@code none} keeps {@code initBlocks} and never scales. Runs on the executor's monitor thread only.
 *
 * <p>Blocks that end by themselves: with either strategy, a block that ended without being stopped is
 * replaced. One that ended within {@link #FAST_FAILURE_NANOS} of its start counts as a failure at
 * start; after such a failure no block starts for a back-off that doubles with each failure in a row
 * (1 s, 2 s, 4 s, 8 s), and after {@link #MAX_FAILURES_IN_A_ROW} in a row the scaler gives up
 * starting blocks and {@link #problem()} says why, with the first lines of the failure from the last
 * block's log file. A block that lives past the window resets the count.
 *
 * <p>Shutdown: once {@link #drain()} was called (the DataFlowKernel is closing), blocks are no longer
 * added to serve waiting tasks — only a lone replacement when none is left while tries are
 * outstanding, so that a close never waits for ever — and while the JVM shuts down no block starts at
 * all.
 */
final class Scaler {

    private static final Logger log = LoggerFactory.getLogger(Scaler.class);
    /** A block that ends sooner than this after its start failed at start. */
    static final long FAST_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final int MAX_FAILURES_IN_A_ROW = 5;
    static final long FIRST_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int LOG_LINES = 5;
    private static final Pattern FAILURE_LINE = Pattern.compile("(?i).*(exception|error|fatal|could not|cannot|unable|denied|refused).*");

    private final String label;
    private final ExecutionProvider provider;
    private final Config config;
    private final IntSupplier outstanding;
    private final Function<String, BlockRequest> requests;
    private final LongSupplier clock;
    private final String prefix;
    private final int slotsPerBlock;
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Launched> blocks = new CopyOnWriteArrayList<>();
    private long idleSince = -1;
    private volatile boolean stopped;
    private volatile boolean draining;
    // failures at start, read by problem() from any thread
    private volatile int failuresInARow;
    private volatile long notBeforeNanos;
    private volatile String problem;

    /** A block and what it was started with. */
    private record Launched(Block block, Path logFile, long startedNanos) {
    }

    /**
     * @param outstanding tries submitted and not yet ended
     * @param requests what to launch for a block of the given id
     */
    Scaler(String label, ExecutionProvider provider, Config config, int slotsPerBlock, IntSupplier outstanding,
            Function<String, BlockRequest> requests) {
        this(label, provider, config, slotsPerBlock, outstanding, requests, System::nanoTime);
    }

    /** As above, with a clock (System.nanoTime-like) for tests. */
    Scaler(String label, ExecutionProvider provider, Config config, int slotsPerBlock, IntSupplier outstanding,
            Function<String, BlockRequest> requests, LongSupplier clock) {
        this.label = label;
        this.provider = provider;
        this.config = config;
        this.outstanding = outstanding;
        this.requests = requests;
        this.clock = clock;
        this.prefix = label + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        this.slotsPerBlock = Math.max(1, slotsPerBlock);
    }

    void start(ScheduledExecutorService scheduler) {
        if (!provider.launchesWorkers()) {
            return;
        }
        for (int i = 0; i < provider.initBlocks(); i++) {
            startBlock();
        }
        long period = config.strategyPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    int activeBlocks() {
        int n = 0;
        for (Launched b : blocks) {
            if (b.block().isAlive()) {
                n++;
            }
        }
        return n;
    }

    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (Launched b : blocks) {
            if (b.block().isAlive()) {
                pids.addAll(b.block().pids());
            }
        }
        return pids;
    }

    /**
     * Why this executor's blocks cannot be kept running, or null: e.g. {@code blocks keep failing at
     * start: 5 in a row; last log lines: ...}. For the executor's status (health DOWN). Cheap; any thread.
     *
     * @return the reason, or null while blocks start normally
     */
    String problem() {
        return problem;
    }

    /** The DataFlowKernel is closing: from now on blocks are only replaced so that waiting tries can still end. */
    void drain() {
        draining = true;
    }

    /** One round of the strategy; on the monitor thread (package-private for tests). */
    void tick() {
        try {
            long now = clock.getAsLong();
            for (Launched b : blocks) {
                if (!b.block().isAlive()) {
                    blocks.remove(b);
                    ended(b, now);
                } else if (failuresInARow > 0 && now - b.startedNanos() >= FAST_FAILURE_NANOS) {
                    failuresInARow = 0; // a block that lives: starting works again
                    problem = null;
                }
            }
            int active = blocks.size();
            if (!"simple".equals(config.strategy())) {
                for (int i = active; i < provider.initBlocks() && !stopped; i++) {
                    startBlock(); // replace blocks that ended by themselves
                }
                return;
            }
            int outstanding = this.outstanding.getAsInt();
            if (outstanding > 0) {
                idleSince = -1;
                int wanted = (int) Math.ceil(outstanding * provider.parallelism() / slotsPerBlock);
                wanted = Math.max(provider.minBlocks(), Math.min(provider.maxBlocks(), wanted));
                if (draining) {
                    wanted = Math.max(1, Math.min(wanted, active)); // no scaling out while closing
                }
                if (wanted > active) {
                    log.info("executor '{}': {} tasks outstanding, scaling out from {} to {} blocks", label, outstanding, active, wanted);
                }
                for (int i = active; i < wanted && !stopped; i++) {
                    startBlock();
                }
            } else {
                if (idleSince < 0) {
                    idleSince = now;
                }
                if (active > provider.minBlocks() && now - idleSince >= config.maxIdleTime().toNanos()) {
                    log.info("executor '{}': idle for {}, scaling in from {} to {} blocks", label, config.maxIdleTime(), active, provider.minBlocks());
                    while (blocks.size() > provider.minBlocks() && !stopped) {
                        Launched b = blocks.get(blocks.size() - 1);
                        b.block().stop(); // counted as active until its process has ended
                        blocks.remove(b);
                    }
                }
                for (int i = blocks.size(); i < provider.minBlocks() && !stopped && !draining; i++) {
                    startBlock();
                }
            }
        } catch (RuntimeException e) {
            log.warn("executor '{}': scaling strategy failed; it runs again next period", label, e);
        }
    }

    private void ended(Launched b, long now) {
        if (stopped) {
            return;
        }
        long lived = now - b.startedNanos();
        if (lived >= FAST_FAILURE_NANOS) {
            log.info("executor '{}': block {} ended by itself after {} s; it is replaced", label, b.block().id(),
                    TimeUnit.NANOSECONDS.toSeconds(lived));
            return;
        }
        int failures = ++failuresInARow;
        String lines = excerpt(b.logFile());
        if (failures >= MAX_FAILURES_IN_A_ROW) {
            problem = "blocks keep failing at start: " + failures + " in a row; no more are started; last log lines ("
                    + b.logFile() + "): " + lines;
            log.error("executor '{}': {}", label, problem);
        } else {
            long backoff = FIRST_BACKOFF_NANOS << (failures - 1);
            notBeforeNanos = now + backoff;
            log.warn("executor '{}': block {} ended by itself {} ms after its start ({} in a row); the next block starts in {} s;"
                    + " its log {}: {}", label, b.block().id(), TimeUnit.NANOSECONDS.toMillis(lived), failures,
                    TimeUnit.NANOSECONDS.toSeconds(backoff), b.logFile(), lines);
        }
    }

    /** The first lines of the failure in a block's log: from the first line that looks like an error, else the last lines. */
    static String excerpt(Path logFile) {
        List<String> all;
        try {
            all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "(log not readable: " + e + ")";
        }
        all.removeIf(String::isBlank);
        if (all.isEmpty()) {
            return "(log is empty)";
        }
        int from = -1;
        for (int i = 0; i < all.size() && from < 0; i++) {
            if (FAILURE_LINE.matcher(all.get(i)).matches()) {
                from = i;
            }
        }
        if (from < 0) {
            from = Math.max(0, all.size() - LOG_LINES);
        }
        List<String> lines = new ArrayList<>();
        for (String line : all.subList(from, Math.min(all.size(), from + LOG_LINES))) {
            String l = line.strip();
            lines.add(l.length() > 300 ? l.substring(0, 300) + "..." : l);
        }
        return String.join(" | ", lines);
    }

    private void startBlock() {
        if (stopped || jvmShuttingDown()) {
            return;
        }
        if (failuresInARow >= MAX_FAILURES_IN_A_ROW || (failuresInARow > 0 && clock.getAsLong() - notBeforeNanos < 0)) {
            return; // given up, or backing off after a failure at start
        }
        String id = prefix + "-" + ids.getAndIncrement();
        try {
            BlockRequest request = requests.apply(id);
            blocks.add(new Launched(provider.startBlock(request), request.logFile(), clock.getAsLong()));
        } catch (IOException | RuntimeException e) {
            log.warn("executor '{}': could not start block {}: {}", label, id, e.toString());
        }
    }

    /** Whether the JVM is running its shutdown hooks (a hook can then no longer be added). */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { }, "parsl-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    void stopAll() {
        stopped = true;
        List<Launched> all = new ArrayList<>(blocks);
        blocks.clear();
        // ask all to stop first, so they stop in parallel
        List<Thread> stoppers = new ArrayList<>();
        for (Launched b : all) {
            Thread t = new Thread(b.block()::stop, "parsl-" + label + "-stop-" + b.block().id());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
