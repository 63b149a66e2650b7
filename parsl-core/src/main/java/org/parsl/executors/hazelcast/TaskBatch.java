package org.parsl.executors.hazelcast;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.parsl.app.Invocation;
import org.parsl.app.TaskCallable;

/**
 * The plaintext of a {@link Frames#TASKS} frame: tasks of one DataFlowKernel, each function written
 * once per frame and serialized once per function (not per task), arguments in {@link Payloads}'
 * tagged form. Written by the DataFlowKernel's dispatcher, read by a worker.
 */
final class TaskBatch {

    private TaskBatch() {
    }

    /** Builds the plaintext of one frame; not thread safe. */
    static final class Writer {
        private final String runId;
        private final Frames.Out tasks = new Frames.Out(4096);
        private final List<byte[]> functions = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final Map<Object, Integer> index = new IdentityHashMap<>();
        private int count;
        private int functionBytes;

        Writer(String runId) {
            this.runId = runId;
        }

        /**
         * Adds one try's task.
         *
         * @throws NotSerializableException if its function or an argument cannot be serialized (the
         *         frame is left as it was)
         */
        void add(long taskId, int tryNumber, String name, TaskCallable<?> body, SerializedFunctions cache) throws IOException {
            int mark = tasks.size();
            int functionsBefore = functions.size();
            try {
                tasks.data.writeLong(taskId);
                tasks.data.writeInt(tryNumber);
                String shortName = name.length() > 200 ? name.substring(0, 200) : name;
                if (body instanceof Invocation inv) {
                    Object fn = inv.function();
                    Integer i = index.get(fn);
                    if (i == null) {
                        byte[] bytes = cache.bytes(fn);
                        i = functions.size();
                        functions.add(bytes);
                        names.add(shortName);
                        index.put(fn, i);
                        functionBytes += bytes.length + 4 + 2 + shortName.length();
                    }
                    List<Object> args = inv.arguments();
                    tasks.data.writeInt(i);
                    tasks.data.writeInt(args.size());
                    for (Object a : args) {
                        Payloads.writeValue(tasks.data, a);
                    }
                } else {
                    tasks.data.writeInt(-1);
                    tasks.data.writeUTF(shortName);
                    tasks.data.writeInt(1);
                    Payloads.writeValue(tasks.data, body);
                }
                count++;
            } catch (IOException | RuntimeException e) {
                tasks.truncate(mark);
                while (functions.size() > functionsBefore) {
                    byte[] removed = functions.remove(functions.size() - 1);
                    String removedName = names.remove(names.size() - 1);
                    functionBytes -= removed.length + 4 + 2 + removedName.length();
                    index.values().removeIf(v -> v >= functions.size());
                }
                throw e;
            }
        }

        int count() {
            return count;
        }

        /** The plaintext size so far. */
        int bytes() {
            return tasks.size() + functionBytes;
        }

        Frames.Out finish() {
            Frames.Out out = new Frames.Out(bytes() + 64);
            try {
                out.data.writeUTF(runId);
                out.data.writeInt(functions.size());
                for (int i = 0; i < functions.size(); i++) {
                    out.data.writeUTF(names.get(i)); // a function's name, for messages, once per frame
                    Payloads.writeBytes(out.data, functions.get(i));
                }
                out.data.writeInt(count);
                out.write(tasks.bytes(), 0, tasks.size());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out;
        }
    }

    /**
     * One task as a worker reads it: still bytes, decoded on the slot that runs it, so a class a
     * worker refuses fails that task only. Its key is built once (a slot, its acknowledgement and its
     * result all use it), and the tasks of one frame share their function, read once for all of them.
     */
    static final class Task {
        private final String runId;
        private final long taskId;
        private final int tryNumber;
        private final String name;
        private final FrameFunction function;
        private final int argCount;
        private final byte[] args;
        private final String key;

        Task(String runId, long taskId, int tryNumber, String name, FrameFunction function, int argCount, byte[] args) {
            this.runId = runId;
            this.taskId = taskId;
            this.tryNumber = tryNumber;
            this.name = name;
            this.function = function;
            this.argCount = argCount;
            this.args = args;
            this.key = Frames.key(runId, taskId, tryNumber);
        }

        String runId() {
            return runId;
        }

        long taskId() {
            return taskId;
        }

        int tryNumber() {
            return tryNumber;
        }

        String name() {
            return name;
        }

        /** The serialized function, shared by the tasks of its frame; null for a task sent as a whole body. */
        byte[] function() {
            return function == null ? null : function.bytes;
        }

        int argCount() {
            return argCount;
        }

        String key() {
            return key;
        }

        /**
         * The body to run.
         *
         * @throws Allowlist.NotAllowed if a class is outside the allowlist
         * @throws ClassNotFoundException if a class is missing on this worker
         */
        TaskCallable<?> body(LoadedFunctions functions, Allowlist allowlist) throws IOException, ClassNotFoundException {
            DataInputStream in = new DataInputStream(new Frames.Bytes(args, 0, args.length));
            if (function == null) {
                Object body = Payloads.readValue(in, allowlist);
                if (body instanceof TaskCallable<?> c) {
                    return c;
                }
                throw new IOException("task " + taskId + " is a " + (body == null ? "null" : body.getClass().getName()) + ", not a TaskCallable");
            }
            Object fn = function.resolve(functions, allowlist);
            Object[] values = new Object[argCount];
            for (int i = 0; i < argCount; i++) {
                values[i] = Payloads.readValue(in, allowlist);
            }
            try {
                return Invocation.of(fn, values);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "Task[" + key + ", " + name + "]";
        }
    }

    /**
     * A function as one frame carries it, for all its tasks: looked up in the worker's
     * {@link LoadedFunctions} (a hash of its bytes) by the first of them, then taken from here. A
     * failed read is not kept: each task reports its own failure.
     */
    static final class FrameFunction {
        private final byte[] bytes;
        private volatile Object resolved;

        FrameFunction(byte[] bytes) {
            this.bytes = bytes;
        }

        Object resolve(LoadedFunctions functions, Allowlist allowlist) throws IOException, ClassNotFoundException {
            Object f = resolved;
            if (f == null) {
                f = functions.get(bytes, allowlist);
                resolved = f; // two slots racing here both find the same object in the worker's cache
            }
            return f;
        }
    }

    /**
     * Reads the tasks of a frame.
     *
     * @throws IOException if the plaintext is malformed (the frame authenticated, so this is a bug or
     *         a version mismatch, not an attack)
     */
    static List<Task> read(Frames.Opened frame) throws IOException {
        DataInputStream in = frame.in();
        String runId = in.readUTF();
        int nf = in.readInt();
        if (nf < 0 || nf > in.available()) {
            throw new IOException("bad function count " + nf);
        }
        FrameFunction[] functions = new FrameFunction[nf];
        String[] names = new String[nf];
        for (int i = 0; i < nf; i++) {
            names[i] = in.readUTF();
            functions[i] = new FrameFunction(Payloads.readBytes(in));
        }
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad task count " + n);
        }
        List<Task> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long taskId = in.readLong();
            int tryNumber = in.readInt();
            int f = in.readInt();
            if (f < -1 || f >= nf) {
                throw new IOException("bad function index " + f);
            }
            String name = f < 0 ? in.readUTF() : names[f];
            int argc = in.readInt();
            if (argc < 0 || argc > 255) {
                throw new IOException("bad task header (function " + f + ", " + argc + " arguments)");
            }
            // the arguments' extent: skip over them value by value
            byte[] rest = frame.plaintext();
            int start = rest.length - in.available();
            for (int a = 0; a < argc; a++) {
                skipValue(in);
            }
            int end = rest.length - in.available();
            tasks.add(new Task(runId, taskId, tryNumber, name, f < 0 ? null : functions[f], argc, Arrays.copyOfRange(rest, start, end)));
        }
        return tasks;
    }

    private static void skipValue(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        int skip = switch (tag) {
            case 0 -> 0;
            case 1 -> 4;
            case 2, 3 -> 8;
            case 4 -> 1;
            case 5, 6, 7 -> {
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    throw new IOException("bad value length " + n);
                }
                yield n;
            }
            default -> throw new IOException("unknown value tag " + tag);
        };
        in.skipNBytes(skip);
    }

    /** Serialized task functions on the DataFlowKernel's side: each function object is serialized once. */
    static final class SerializedFunctions {
        private static final int CAPACITY = 256;
        private final Map<Object, byte[]> recent = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, byte[]> eldest) {
                return size() > CAPACITY;
            }
        };

        /**
         * The function's serialized form.
         *
         * @throws NotSerializableException if it cannot be serialized
         */
        byte[] bytes(Object function) throws NotSerializableException {
            Identity key = new Identity(function);
            synchronized (recent) {
                byte[] b = recent.get(key);
                if (b != null) {
                    return b;
                }
            }
            byte[] b = Allowlist.serialize(function);
            synchronized (recent) {
                recent.put(key, b);
            }
            return b;
        }
    }

    /** Functions a worker has read, by their serialized form: a function sent again is not deserialized again. */
    static final class LoadedFunctions {
        private static final int CAPACITY = 256;
        private final Map<ByteBuffer, Object> recent = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Object> eldest) {
                return size() > CAPACITY;
            }
        };

        Object get(byte[] serialized, Allowlist allowlist) throws IOException, ClassNotFoundException {
            ByteBuffer key = ByteBuffer.wrap(serialized);
            synchronized (recent) {
                Object f = recent.get(key);
                if (f != null) {
                    return f;
                }
            }
            Object f = allowlist.deserialize(serialized);
            synchronized (recent) {
                recent.put(key, f);
            }
            return f;
        }
    }

    /** A map key by identity: functions are compared as objects, never by their own equals. */
    private record Identity(Object target) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.target == target;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(target);
        }
    }
}
