package org.parsl.benchmarks;

/** How every throughput benchmark is timed: warm-up rounds, then the best of two measured rounds. */
final class Rounds {

    /** One round of {@code size} tasks, run to completion. */
    @FunctionalInterface
    interface Round {
        void run(int size) throws Exception;
    }

    private Rounds() {
    }

    /**
     * @param n tasks per measured round
     * @param warmUp tasks run before measuring, in rounds of at most n
     * @return the best rate of the two measured rounds, in tasks per second
     */
    static double bestRate(int n, int warmUp, Round round) throws Exception {
        for (int done = 0; done < warmUp; done += Math.min(n, warmUp - done)) {
            round.run(Math.min(n, warmUp - done));
        }
        double best = 0;
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            round.run(n);
            best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }
}
