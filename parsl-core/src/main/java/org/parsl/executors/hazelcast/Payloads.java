package org.parsl.executors.hazelcast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How values (task arguments, results) and failures are written inside frames. The common value
 * types — {@code null}, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code String}
 * and {@code byte[]} — have a tag of their own and cost no Java serialization; anything else is
 * Java-serialized and read back through the {@link Allowlist}.
 */
final class Payloads {

    private static final byte NULL = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;
    private static final byte STRING = 5;
    private static final byte BYTES = 6;
    private static final byte SERIALIZED = 7;

    private Payloads() {
    }

    /**
     * Writes a value.
     *
     * @throws java.io.NotSerializableException if it is of no tagged type and not serializable
     */
    static void writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof byte[] b) {
            out.writeByte(BYTES);
            writeBytes(out, b);
        } else {
            out.writeByte(SERIALIZED);
            writeBytes(out, Allowlist.serialize(v));
        }
    }

    /**
     * Reads a value written by {@link #writeValue}.
     *
     * @throws Allowlist.NotAllowed if a serialized value holds a class outside the allowlist
     * @throws ClassNotFoundException if it holds a class missing here
     */
    static Object readValue(DataInputStream in, Allowlist allowlist) throws IOException, ClassNotFoundException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case STRING -> new String(readBytes(in), StandardCharsets.UTF_8);
            case BYTES -> readBytes(in);
            case SERIALIZED -> allowlist.deserialize(readBytes(in));
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    /** One value as bytes. */
    static byte[] value(Object v) throws IOException {
        Frames.Out out = new Frames.Out(64);
        writeValue(out.data, v);
        return Arrays.copyOf(out.bytes(), out.size());
    }

    static Object readValue(byte[] bytes, Allowlist allowlist) throws IOException, ClassNotFoundException {
        return readValue(new DataInputStream(new Frames.Bytes(bytes, 0, bytes.length)), allowlist);
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /** Reads a length-prefixed byte array, refusing a length beyond what is left (no allocation from a forged length). */
    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad length " + n + " (" + in.available() + " bytes left)");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    // --- failures

    /** Encodes a task's failure: type, message, stack trace, and the exception itself when it serializes. */
    static byte[] error(Throwable t) {
        Frames.Out out = new Frames.Out(1024);
        try {
            out.data.writeUTF(truncate(t.getClass().getName()));
            writeString(out.data, t.getMessage());
            StackTraceElement[] st = t.getStackTrace();
            int n = Math.min(st.length, 1_000);
            out.data.writeInt(n);
            for (int i = 0; i < n; i++) {
                StackTraceElement e = st[i];
                out.data.writeUTF(truncate(e.getClassName()));
                out.data.writeUTF(truncate(e.getMethodName()));
                writeString(out.data, e.getFileName());
                out.data.writeInt(e.getLineNumber());
            }
            byte[] original;
            try {
                original = Allowlist.serialize(t);
            } catch (IOException | RuntimeException | StackOverflowError notSerializable) {
                original = new byte[0];
            }
            writeBytes(out.data, original);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Arrays.copyOf(out.bytes(), out.size());
    }

    private static String truncate(String s) {
        return s.length() > 1_000 ? s.substring(0, 1_000) : s;
    }

    /** Decodes a failure: the original exception when the allowlist and class path admit it, else a RemoteTaskException. */
    static Throwable readError(byte[] payload, Allowlist allowlist) throws IOException {
        DataInputStream in = new DataInputStream(new Frames.Bytes(payload, 0, payload.length));
        String type = in.readUTF();
        String message = readString(in);
        int n = in.readInt();
        if (n < 0 || n > 1_000) {
            throw new IOException("bad stack trace length " + n);
        }
        StackTraceElement[] st = new StackTraceElement[n];
        for (int i = 0; i < n; i++) {
            String cls = in.readUTF();
            String method = in.readUTF();
            String file = readString(in);
            int line = in.readInt();
            st[i] = new StackTraceElement(cls, method, file, line);
        }
        byte[] original = readBytes(in);
        if (original.length > 0) {
            try {
                if (allowlist.deserialize(original) instanceof Throwable t) {
                    return t;
                }
            } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
                // not admitted or not loadable here: fall back to the description
            }
        }
        return new RemoteTaskException(type, message, st);
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
        } else {
            writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n > in.available()) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
