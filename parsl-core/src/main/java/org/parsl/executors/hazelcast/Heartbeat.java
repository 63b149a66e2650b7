package org.parsl.executors.hazelcast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's heartbeat, the plaintext of a {@link Frames#HEARTBEAT} frame, sent every heartbeat
 * period on the heartbeat topic of each label it serves. {@code incarnation} is random per worker
 * start and {@code sequence} grows with each heartbeat, so a replayed (older) heartbeat is recognised
 * and ignored. {@code queued} counts the tasks its links delivered that no slot has started yet.
 */
record Heartbeat(String workerId, String host, long pid, int slots, int prefetch, int busy, List<String> labels,
        String clientUuid, long incarnation, long sequence, boolean stopping, int queued) {

    Heartbeat(String workerId, String host, long pid, int slots, int prefetch, int busy, List<String> labels, String clientUuid,
            long incarnation, long sequence, boolean stopping) {
        this(workerId, host, pid, slots, prefetch, busy, labels, clientUuid, incarnation, sequence, stopping, 0);
    }

    /** Tasks the worker takes at most: its slots and its prefetch. */
    int room() {
        return slots + prefetch;
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeUTF(workerId);
        out.writeUTF(host);
        out.writeLong(pid);
        out.writeInt(slots);
        out.writeInt(prefetch);
        out.writeInt(busy);
        out.writeInt(labels.size());
        for (String l : labels) {
            out.writeUTF(l);
        }
        out.writeUTF(clientUuid);
        out.writeLong(incarnation);
        out.writeLong(sequence);
        out.writeBoolean(stopping);
        out.writeInt(queued);
    }

    static Heartbeat readFrom(DataInputStream in) throws IOException {
        String id = in.readUTF();
        String host = in.readUTF();
        long pid = in.readLong();
        int slots = in.readInt();
        int prefetch = in.readInt();
        int busy = in.readInt();
        int n = in.readInt();
        if (n < 0 || n > 1_000) {
            throw new IOException("bad label count " + n);
        }
        List<String> labels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels.add(in.readUTF());
        }
        String clientUuid = in.readUTF();
        long incarnation = in.readLong();
        long sequence = in.readLong();
        boolean stopping = in.readBoolean();
        int queued = in.available() >= 4 ? in.readInt() : 0;
        return new Heartbeat(id, host, pid, slots, prefetch, busy, List.copyOf(labels), clientUuid, incarnation, sequence, stopping,
                Math.max(0, queued));
    }
}
