package org.parsl.executors.hazelcast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memory of the frame nonces a receiver has acted on, so a captured frame offered again is
 * recognised and dropped (a replayed task never runs twice). The oldest nonces are forgotten first.
 *
 * <p>A nonce is a sender's random 64-bit prefix and a 32-bit counter ({@link Frames}), so the nonces
 * of one sender differ in their last bytes only: keyed by their bytes, whose hash weighs the last byte
 * most, they fell into few buckets of the map (tree bins: 17% of a DataFlowKernel's samples in the
 * throughput row). They are kept as the two numbers, with a hash that mixes both.
 */
final class Nonces {

    private final Map<Key, Boolean> seen;

    Nonces(int capacity) {
        this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether this nonce is new (and remembers it). */
    synchronized boolean firstTime(byte[] nonce) {
        return seen.put(Key.of(nonce), Boolean.TRUE) == null;
    }

    /** A nonce as its prefix (first 8 bytes) and the rest (up to 4 bytes), compared exactly. */
    private record Key(long prefix, int rest) {
        static Key of(byte[] n) {
            long p = 0;
            int i = 0;
            for (; i < Math.min(8, n.length); i++) {
                p = (p << 8) | (n[i] & 0xff);
            }
            int r = 0;
            for (; i < n.length; i++) {
                r = (r << 8) | (n[i] & 0xff);
            }
            return new Key(p, r);
        }

        @Override
        public int hashCode() {
            long h = prefix * 0x9E3779B97F4A7C15L + rest * 0xC2B2AE3D27D4EB4FL;
            return (int) (h ^ (h >>> 32));
        }
    }
}
