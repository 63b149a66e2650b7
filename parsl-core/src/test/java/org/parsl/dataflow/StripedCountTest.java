package org.parsl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class StripedCountTest {

    @Test
    void aNewCountIsZero() {
        assertThat(new StripedCount().sum()).isZero();
    }

    @Test
    void theSumCountsEveryIncrementOfEveryThreadEvenWhenThreadsShareACell() throws Exception {
        StripedCount count = new StripedCount();
        int threads = 2 * StripedCount.CELLS + 3; // more threads than cells: some share one
        int each = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int j = 0; j < each; j++) {
                    count.increment();
                }
            });
            t.start();
            started.add(t);
        }
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        assertThat(count.sum()).isEqualTo((long) threads * each);
    }

    @Test
    void threadsWithConsecutiveIdsWriteDifferentCells() {
        for (long id = 1; id < 3 * StripedCount.CELLS; id++) {
            assertThat(StripedCount.slotOf(id)).isNotEqualTo(StripedCount.slotOf(id + 1));
        }
    }
}
