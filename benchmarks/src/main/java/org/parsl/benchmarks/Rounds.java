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

    /**
     * Like {@link #bestRate}, after warming up to a plateau: rounds of n tasks, at least
     * {@code minWarmUp} tasks in all, then until three rounds in a row were no more than 5% faster
     * than the best round before them (at most {@code maxWarmUp} tasks). The JIT's work on the
     * distributed paths (C2, in every JVM of either side) takes a long and load-dependent while, and
     * the rates climb slowly towards the end of it: a fixed count, or two rounds that happen to agree,
     * stopped one side or the other still climbing.
     */
    static double steadyRate(int n, int minWarmUp, int maxWarmUp, Round round) throws Exception {
        double best = 0;
        int flat = 0;
        for (int done = 0; done < maxWarmUp; done += n) {
            long t0 = System.nanoTime();
            round.run(n);
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            flat = rate > 1.05 * best ? 0 : flat + 1;
            best = Math.max(best, rate);
            if (done + n >= minWarmUp && flat >= 3) {
                break;
            }
        }
        return bestRate(n, 0, round);
    }
}
