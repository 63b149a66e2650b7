package org.parsl.executors.hazelcast;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memory of the frame nonces a receiver has acted on, so a captured frame offered again is
 * recognised and dropped (a replayed task never runs twice). The oldest nonces are forgotten first.
 */
final class Nonces {

    private final Map<ByteBuffer, Boolean> seen;

    Nonces(int capacity) {
        this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether this nonce is new (and remembers it). */
    synchronized boolean firstTime(byte[] nonce) {
        return seen.put(ByteBuffer.wrap(nonce), Boolean.TRUE) == null;
    }
}
