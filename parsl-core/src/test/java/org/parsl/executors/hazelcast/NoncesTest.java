package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class NoncesTest {

    private static byte[] nonce(long prefix, int counter) {
        byte[] n = new byte[Frames.NONCE_LENGTH];
        for (int i = 0; i < 8; i++) {
            n[i] = (byte) (prefix >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            n[8 + i] = (byte) (counter >>> (24 - 8 * i));
        }
        return n;
    }

    @Test
    void aNonceIsNewOnceAndEveryCounterOfOnePrefixIsItsOwn() {
        Nonces seen = new Nonces(100_000);
        for (int c = 0; c < 50_000; c++) {
            assertThat(seen.firstTime(nonce(0x1234_5678_9abc_def0L, c))).isTrue();
        }
        assertThat(seen.firstTime(nonce(0x1234_5678_9abc_def0L, 17))).isFalse();
        assertThat(seen.firstTime(Arrays.copyOf(nonce(0x1234_5678_9abc_def0L, 49_999), Frames.NONCE_LENGTH))).isFalse();
        assertThat(seen.firstTime(nonce(0x1234_5678_9abc_def1L, 17))).as("another sender's prefix").isTrue();
    }

    @Test
    void theOldestAreForgottenFirst() {
        Nonces seen = new Nonces(3);
        for (int c = 0; c < 4; c++) {
            assertThat(seen.firstTime(nonce(7, c))).isTrue();
        }
        assertThat(seen.firstTime(nonce(7, 3))).isFalse();
        assertThat(seen.firstTime(nonce(7, 0))).as("forgotten: the memory holds 3").isTrue();
    }
}
