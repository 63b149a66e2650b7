package org.parsl.executors.hazelcast;

import java.io.DataInputStream;
import java.io.IOException;

/**
 * The plaintext of a {@link Frames#RESULTS} frame: what one worker reports to one DataFlowKernel —
 * tasks taken ({@link Frames#TAKEN}), results ({@link Frames#RESULT}) and failures
 * ({@link Frames#ERROR}). Written by a worker's sender, read by the DataFlowKernel's result reader.
 */
final class ResultBatch {

    private ResultBatch() {
    }

    /** Builds the plaintext of one frame; not thread safe. */
    static final class Writer {
        private final Frames.Out out = new Frames.Out(512);
        private final int countAt;
        private int count;

        Writer(String label, String workerId) {
            try {
                out.data.writeUTF(label);
                out.data.writeUTF(workerId);
                countAt = out.size();
                out.data.writeInt(0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Adds a record; {@code payload} is the encoded value or failure (ignored for {@link Frames#TAKEN}). */
        void add(byte kind, long taskId, int tryNumber, byte[] payload) {
            try {
                out.data.writeByte(kind);
                out.data.writeLong(taskId);
                out.data.writeInt(tryNumber);
                if (kind != Frames.TAKEN) {
                    Payloads.writeBytes(out.data, payload);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            count++;
        }

        int count() {
            return count;
        }

        int bytes() {
            return out.size();
        }

        Frames.Out finish() {
            out.patchInt(countAt, count);
            return out;
        }
    }

    /** One record read back. */
    record Record(byte kind, long taskId, int tryNumber, byte[] payload) {
    }

    /** A frame read back. */
    record Batch(String label, String workerId, Record[] records) {
    }

    /**
     * Reads the records of a frame.
     *
     * @throws IOException if the plaintext is malformed
     */
    static Batch read(Frames.Opened frame) throws IOException {
        DataInputStream in = frame.in();
        String label = in.readUTF();
        String worker = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad record count " + n);
        }
        Record[] records = new Record[n];
        for (int i = 0; i < n; i++) {
            byte kind = in.readByte();
            long taskId = in.readLong();
            int tryNumber = in.readInt();
            byte[] payload = null;
            if (kind == Frames.RESULT || kind == Frames.ERROR) {
                payload = Payloads.readBytes(in);
            } else if (kind != Frames.TAKEN) {
                throw new IOException("unknown record kind " + kind);
            }
            records[i] = new Record(kind, taskId, tryNumber, payload);
        }
        return new Batch(label, worker, records);
    }
}
