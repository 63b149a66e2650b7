package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;

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
 * {@code none} starts initBlocks and never scales. Runs on the executor's monitor thread only.
 */
final class Scaler {

    private static final Logger log = LoggerFactory.getLogger(Scaler.class);

    private final String label;
    private final ExecutionProvider provider;
    private final Config config;
    private final IntSupplier outstanding;
    private final Function<String, BlockRequest> requests;
    private final String prefix;
    private final int slotsPerBlock;
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Block> blocks = new CopyOnWriteArrayList<>();
    private long idleSince = -1;
    private volatile boolean stopped;

    /**
     * @param outstanding tries submitted and not yet ended
     * @param requests what to launch for a block of the given id
     */
    Scaler(String label, ExecutionProvider provider, Config config, int slotsPerBlock, IntSupplier outstanding,
            Function<String, BlockRequest> requests) {
        this.label = label;
        this.provider = provider;
        this.config = config;
        this.outstanding = outstanding;
        this.requests = requests;
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
        if ("simple".equals(config.strategy())) {
            long period = config.strategyPeriod().toMillis();
            scheduler.scheduleWithFixedDelay(this::strategy, period, period, TimeUnit.MILLISECONDS);
        }
    }

    int activeBlocks() {
        int n = 0;
        for (Block b : blocks) {
            if (b.isAlive()) {
                n++;
            }
        }
        return n;
    }

    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (Block b : blocks) {
            if (b.isAlive()) {
                pids.addAll(b.pids());
            }
        }
        return pids;
    }

    private void strategy() {
        try {
            for (Block b : blocks) {
                if (!b.isAlive()) {
                    blocks.remove(b);
                    log.info("executor '{}': block {} ended by itself", label, b.id());
                }
            }
            int active = blocks.size();
            int outstanding = this.outstanding.getAsInt();
            if (outstanding > 0) {
                idleSince = -1;
                int wanted = (int) Math.ceil(outstanding * provider.parallelism() / slotsPerBlock);
                wanted = Math.max(provider.minBlocks(), Math.min(provider.maxBlocks(), wanted));
                if (wanted > active) {
                    log.info("executor '{}': {} tasks outstanding, scaling out from {} to {} blocks", label, outstanding, active, wanted);
                }
                for (int i = active; i < wanted && !stopped; i++) {
                    startBlock();
                }
            } else {
                long now = System.nanoTime();
                if (idleSince < 0) {
                    idleSince = now;
                }
                if (active > provider.minBlocks() && now - idleSince >= config.maxIdleTime().toNanos()) {
                    log.info("executor '{}': idle for {}, scaling in from {} to {} blocks", label, config.maxIdleTime(), active, provider.minBlocks());
                    while (blocks.size() > provider.minBlocks() && !stopped) {
                        Block b = blocks.get(blocks.size() - 1);
                        b.stop(); // counted as active until its process has ended
                        blocks.remove(b);
                    }
                }
                for (int i = blocks.size(); i < provider.minBlocks() && !stopped; i++) {
                    startBlock();
                }
            }
        } catch (RuntimeException e) {
            log.warn("executor '{}': scaling strategy failed; it runs again next period", label, e);
        }
    }

    private void startBlock() {
        if (stopped) {
            return;
        }
        String id = prefix + "-" + ids.getAndIncrement();
        try {
            blocks.add(provider.startBlock(requests.apply(id)));
        } catch (IOException | RuntimeException e) {
            log.warn("executor '{}': could not start block {}: {}", label, id, e.toString());
        }
    }

    void stopAll() {
        stopped = true;
        List<Block> all = new ArrayList<>(blocks);
        blocks.clear();
        // ask all to stop first, so they stop in parallel
        List<Thread> stoppers = new ArrayList<>();
        for (Block b : all) {
            Thread t = new Thread(b::stop, "parsl-" + label + "-stop-" + b.id());
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
