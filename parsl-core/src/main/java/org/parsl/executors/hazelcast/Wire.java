package org.parsl.executors.hazelcast;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The byte formats that travel through Hazelcast, and their HMAC-SHA256 signatures. Hazelcast only
 * ever sees {@code byte[]} and {@code String}s, so nothing is deserialized by Hazelcast itself; a
 * receiver checks the signature before it reads anything else.
 *
 * <ul>
 * <li>a task (one queue item per task, so a worker takes exactly as many as it has room for):
 *     {@code 'T' runId taskId try functionName body MAC}</li>
 * <li>a result frame (a batch of records for one DataFlowKernel): {@code 'S' workerId n record* MAC};
 *     a record is {@code kind taskId try payload} with kind {@code A} (taken), {@code R} (result),
 *     {@code E} (error). An unsigned frame {@code 'U' workerId n record*} may only carry {@code X}
 *     records (a task rejected for its signature), which can only fail a task.</li>
 * <li>a cancel request: {@code 'C' runId taskId try interrupt MAC}</li>
 * </ul>
 */
final class Wire {

    static final int MAC_LENGTH = 32;
    static final byte TASK = 'T';
    static final byte SIGNED = 'S';
    static final byte UNSIGNED = 'U';
    static final byte CANCEL = 'C';
    static final byte TAKEN = 'A';
    static final byte RESULT = 'R';
    static final byte ERROR = 'E';
    static final byte REJECTED = 'X';

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    Wire(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    // --- signatures

    /** The bytes with their MAC appended. */
    byte[] sign(Out out) {
        byte[] data = out.bytes();
        Mac mac = macs.get();
        mac.update(data, 0, out.size());
        byte[] signed = Arrays.copyOf(data, out.size() + MAC_LENGTH);
        try {
            mac.doFinal(signed, out.size());
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return signed;
    }

    /** Whether the last {@value #MAC_LENGTH} bytes are the MAC of the rest. Constant time. */
    boolean verify(byte[] signed) {
        if (signed.length < MAC_LENGTH + 1) {
            return false;
        }
        Mac mac = macs.get();
        mac.update(signed, 0, signed.length - MAC_LENGTH);
        byte[] expected = mac.doFinal();
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(signed, signed.length - MAC_LENGTH, signed.length));
    }

    // --- tasks

    byte[] task(String runId, long taskId, int tryNumber, String functionName, byte[] body) {
        Out out = new Out(body.length + 96);
        try {
            out.data.writeByte(TASK);
            out.data.writeUTF(runId);
            out.data.writeLong(taskId);
            out.data.writeInt(tryNumber);
            out.data.writeUTF(functionName.length() > 200 ? functionName.substring(0, 200) : functionName);
            out.data.writeInt(body.length);
            out.data.write(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sign(out);
    }

    /** A task read from a queue item; {@code signed} says whether its MAC checked out (read nothing else if not). */
    record TaskFrame(String runId, long taskId, int tryNumber, String functionName, byte[] body, boolean signed) {
        String key() {
            return Wire.key(runId, taskId, tryNumber);
        }
    }

    static String key(String runId, long taskId, int tryNumber) {
        return runId + '/' + taskId + '/' + tryNumber;
    }

    /**
     * Reads a task. The header of a task whose signature fails is read anyway (untrusted) so that the
     * rejection can be routed; its body is dropped.
     *
     * @throws IOException if the bytes are not a task at all
     */
    TaskFrame readTask(byte[] item) throws IOException {
        boolean ok = verify(item);
        DataInputStream in = new DataInputStream(new Bytes(item, 0, Math.max(0, item.length - MAC_LENGTH)));
        if (in.readByte() != TASK) {
            throw new IOException("not a Parsl task");
        }
        String runId = in.readUTF();
        long taskId = in.readLong();
        int tryNumber = in.readInt();
        String fn = in.readUTF();
        if (!ok) {
            return new TaskFrame(runId, taskId, tryNumber, fn, null, false);
        }
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new TaskFrame(runId, taskId, tryNumber, fn, body, true);
    }

    // --- cancel requests

    byte[] cancel(String runId, long taskId, int tryNumber, boolean interrupt) {
        Out out = new Out(64);
        try {
            out.data.writeByte(CANCEL);
            out.data.writeUTF(runId);
            out.data.writeLong(taskId);
            out.data.writeInt(tryNumber);
            out.data.writeBoolean(interrupt);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sign(out);
    }

    record Cancel(String key, boolean interrupt) {
    }

    /** A verified cancel request, or null if it is not one or not signed with our secret. */
    Cancel readCancel(byte[] item) {
        if (!verify(item)) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new Bytes(item, 0, item.length - MAC_LENGTH));
            if (in.readByte() != CANCEL) {
                return null;
            }
            return new Cancel(key(in.readUTF(), in.readLong(), in.readInt()), in.readBoolean());
        } catch (IOException e) {
            return null;
        }
    }

    // --- result frames

    /** Builds one result frame; not thread safe. */
    static final class FrameBuilder {
        final Out out = new Out(512);
        int count;
        final boolean signed;

        FrameBuilder(String workerId, boolean signed) {
            this.signed = signed;
            try {
                out.data.writeByte(signed ? SIGNED : UNSIGNED);
                out.data.writeUTF(workerId);
                out.data.writeInt(0); // count, patched in finish
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void add(byte kind, long taskId, int tryNumber, byte[] payload) {
            try {
                out.data.writeByte(kind);
                out.data.writeLong(taskId);
                out.data.writeInt(tryNumber);
                if (kind != TAKEN) {
                    out.data.writeInt(payload.length);
                    out.data.write(payload);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            count++;
        }

        int countOffset() {
            return 1 + 2 + utfLength(out);
        }

        private static int utfLength(Out out) {
            byte[] b = out.bytes();
            return ((b[1] & 0xff) << 8) | (b[2] & 0xff);
        }
    }

    byte[] finish(FrameBuilder f) {
        byte[] b = f.out.bytes();
        int at = f.countOffset();
        b[at] = (byte) (f.count >>> 24);
        b[at + 1] = (byte) (f.count >>> 16);
        b[at + 2] = (byte) (f.count >>> 8);
        b[at + 3] = (byte) f.count;
        return f.signed ? sign(f.out) : Arrays.copyOf(b, f.out.size());
    }

    /** One record of a result frame. */
    record Record(byte kind, long taskId, int tryNumber, byte[] payload) {
    }

    /** A result frame read back. */
    record ResultFrame(String workerId, boolean signed, Record[] records) {
    }

    /**
     * Reads a result frame: a signed frame must verify; an unsigned one may only hold rejections.
     *
     * @throws IOException if it is malformed or its signature fails
     */
    ResultFrame readResults(byte[] item) throws IOException {
        if (item.length == 0) {
            throw new IOException("empty result frame");
        }
        boolean signed = item[0] == SIGNED;
        if (signed && !verify(item)) {
            throw new IOException("result frame with a bad signature (a worker with another secret, or forged)");
        }
        int end = signed ? item.length - MAC_LENGTH : item.length;
        DataInputStream in = new DataInputStream(new Bytes(item, 0, end));
        byte head = in.readByte();
        if (head != SIGNED && head != UNSIGNED) {
            throw new IOException("not a Parsl result frame");
        }
        String worker = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > end) {
            throw new IOException("bad record count " + n);
        }
        Record[] records = new Record[n];
        for (int i = 0; i < n; i++) {
            byte kind = in.readByte();
            long taskId = in.readLong();
            int tryNumber = in.readInt();
            byte[] payload = null;
            if (kind != TAKEN) {
                int len = in.readInt();
                if (len < 0 || len > end) {
                    throw new IOException("bad payload length " + len);
                }
                payload = new byte[len];
                in.readFully(payload);
            }
            if (!signed && kind != REJECTED) {
                throw new IOException("unsigned result frame with a record of kind " + (char) kind);
            }
            records[i] = new Record(kind, taskId, tryNumber, payload);
        }
        return new ResultFrame(worker, signed, records);
    }

    // --- errors

    /** Encodes a task's failure: type, message, stack trace, and the exception itself when it serializes. */
    static byte[] error(Throwable t) {
        Out out = new Out(1024);
        try {
            out.data.writeUTF(t.getClass().getName());
            writeString(out.data, t.getMessage());
            StackTraceElement[] st = t.getStackTrace();
            out.data.writeInt(st.length);
            for (StackTraceElement e : st) {
                out.data.writeUTF(e.getClassName());
                out.data.writeUTF(e.getMethodName());
                writeString(out.data, e.getFileName());
                out.data.writeInt(e.getLineNumber());
            }
            byte[] original;
            try {
                original = Allowlist.serialize(t);
            } catch (IOException | RuntimeException notSerializable) {
                original = new byte[0];
            }
            out.data.writeInt(original.length);
            out.data.write(original);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Arrays.copyOf(out.bytes(), out.size());
    }

    /** Decodes an error: the original exception when the allowlist and class path admit it, else a RemoteTaskException. */
    static Throwable readError(byte[] payload, Allowlist allowlist) throws IOException {
        DataInputStream in = new DataInputStream(new Bytes(payload, 0, payload.length));
        String type = in.readUTF();
        String message = readString(in);
        int n = in.readInt();
        StackTraceElement[] st = new StackTraceElement[Math.max(0, Math.min(n, 10_000))];
        for (int i = 0; i < st.length; i++) {
            String cls = in.readUTF();
            String method = in.readUTF();
            String file = readString(in);
            int line = in.readInt();
            st[i] = new StackTraceElement(cls, method, file, line);
        }
        byte[] original = new byte[in.readInt()];
        in.readFully(original);
        if (original.length > 0) {
            try {
                Object o = allowlist.deserialize(original);
                if (o instanceof Throwable t) {
                    return t;
                }
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                // not admitted here: fall back to the description
            }
        }
        return new RemoteTaskException(type, message, st);
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A growable output whose buffer can be read without a copy. */
    static final class Out extends ByteArrayOutputStream {
        final DataOutputStream data = new DataOutputStream(this);

        Out(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /** An input over part of an array, without the synchronization of ByteArrayInputStream. */
    private static final class Bytes extends InputStream {
        private final byte[] b;
        private int pos;
        private final int end;

        Bytes(byte[] b, int from, int end) {
            this.b = b;
            this.pos = from;
            this.end = end;
        }

        @Override
        public int read() {
            return pos < end ? b[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) throws EOFException {
            if (pos >= end) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(b, pos, dst, off, n);
            pos += n;
            return n;
        }
    }
}
