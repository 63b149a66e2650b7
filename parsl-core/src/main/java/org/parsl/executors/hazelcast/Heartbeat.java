package org.parsl.executors.hazelcast;

import java.util.Arrays;
import java.util.List;

/**
 * A worker's heartbeat, the value of its entry in the {@code parsl.workers} map, written every
 * heartbeat period: a plain string, so reading it never deserializes anything.
 */
record Heartbeat(String workerId, String host, long pid, int slots, int busy, List<String> labels,
        String clientUuid, long sentMillis) {

    String encode() {
        return String.join("|", workerId, host, Long.toString(pid), Integer.toString(slots), Integer.toString(busy),
                String.join(",", labels), clientUuid, Long.toString(sentMillis));
    }

    static Heartbeat decode(String s) {
        String[] p = s.split("\\|", -1);
        if (p.length != 8) {
            throw new IllegalArgumentException("not a heartbeat: " + s);
        }
        return new Heartbeat(p[0], p[1], Long.parseLong(p[2]), Integer.parseInt(p[3]), Integer.parseInt(p[4]),
                p[5].isEmpty() ? List.of() : Arrays.asList(p[5].split(",")), p[6], Long.parseLong(p[7]));
    }
}
