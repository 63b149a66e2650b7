package org.parsl.executors.hazelcast;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The wire protocol: every item that travels through Hazelcast or on a {@link Link} is a sealed
 * frame, a {@code byte[]} (Hazelcast reads it with its own byte-array serializer, never Java
 * serialization).
 *
 * <pre>
 * frame      = version(1) kind(1) nonce(12) ciphertext tag(16)      AES-256-GCM
 * associated = version kind channel                                 authenticated, not sent
 * key        = HMAC-SHA256(secret, "parsl/frame-key/v1")
 * </pre>
 *
 * The channel names the topic, map or link the frame travels on ({@link Channels}): it holds the
 * executor label or the run id, so a frame moved to another channel fails its tag, like a frame sealed
 * with another secret, a truncated one, or one with a flipped bit. {@link #open} returns {@code null}
 * for all of them; the receiver drops and counts it and acts on nothing in it. The nonce is a 64-bit
 * random prefix drawn from {@link SecureRandom} per sender and a 32-bit counter (the deterministic
 * construction of NIST SP 800-38D, with a fresh random prefix when the counter wraps), so no two frames
 * of any sender share one; receivers that must not act twice remember the nonces they have seen
 * ({@link Nonces}).
 *
 * <p>Plaintext by kind (integers big-endian, strings as {@link DataOutputStream#writeUTF}):
 * <ul>
 * <li>{@link #TASKS} on a link, channel {@code parsl.tasks.<label>.<runId>}: {@code runId n-functions function* n-tasks task*};
 *     a function is {@code name length bytes} (Java-serialized, once per distinct function in the frame);
 *     a task is {@code taskId try function-index n-args value*} ({@link Payloads}), or with function
 *     index -1 {@code taskId try -1 name 1 body}, a Java-serialized body as one value.</li>
 * <li>{@link #RESULTS} on a link, channel {@code parsl.results.<runId>}: {@code label workerId n record*}; a record is
 *     {@code kind taskId try [value]}: {@link #TAKEN} (no value), {@link #RESULT} (a value),
 *     {@link #ERROR} (an encoded failure, {@link Payloads#error}).</li>
 * <li>{@link #HEARTBEAT} on {@code parsl.heartbeats.<label>}: a {@link Heartbeat}.</li>
 * <li>{@link #CANCEL} on {@code parsl.control.<label>}: {@code runId taskId try interrupt}.</li>
 * <li>{@link #ENDPOINT} in the map {@code parsl.links.<label>} under the run id: {@code runId host port}.</li>
 * <li>{@link #HELLO}, {@link #WELCOME} and {@link #LEAVING} on a link ({@link LinkServer}): the channel
 *     holds the label, the run id and the receiver's fresh random challenge.</li>
 * </ul>
 */
final class Frames {

    static final byte VERSION = 1;
    static final byte TASKS = 'T';
    static final byte RESULTS = 'R';
    static final byte HEARTBEAT = 'H';
    static final byte CANCEL = 'C';
    /** A worker's half of a link's handshake ({@link LinkServer}). */
    static final byte HELLO = 'L';
    /** The executor's half of a link's handshake. */
    static final byte WELCOME = 'W';
    /** Where an executor's link server listens, in the map {@code parsl.links.<label>}. */
    static final byte ENDPOINT = 'P';
    /** A worker says on a link that it stops: send it no more tasks. */
    static final byte LEAVING = 'G';

    static final byte TAKEN = 'A';
    static final byte RESULT = 'V';
    static final byte ERROR = 'E';

    static final int NONCE_LENGTH = 12;
    static final int TAG_BITS = 128;
    static final int HEADER_LENGTH = 2 + NONCE_LENGTH;
    static final int OVERHEAD = HEADER_LENGTH + TAG_BITS / 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final ThreadLocal<Cipher> ciphers;
    private final AtomicLong dropped = new AtomicLong();
    /** The nonce: random prefix (high 64 bits, redrawn when the counter wraps) and counter (low 32 bits). */
    private long noncePrefix = RANDOM.nextLong();
    private int nonceCounter;

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();
    /** Frames sealed in this JVM, up to the warm-up's trigger. */
    private static final java.util.concurrent.atomic.AtomicInteger SEALED = new java.util.concurrent.atomic.AtomicInteger();
    /** Seals after which a JVM counts as busy enough to warm AES-GCM up (a start-up pays nothing). */
    private static final int WARM_UP_AFTER = 256;

    Frames(String secret) {
        this.key = new SecretKeySpec(derive(secret, "parsl/frame-key/v1"), "AES");
        this.ciphers = ThreadLocal.withInitial(() -> {
            try {
                return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM is not available in this JVM", e);
            }
        });
    }

    /**
     * Seals and opens some thousands of tiny frames once per JVM that has sealed a few hundred frames, on
     * a background thread of low priority (a start-up pays nothing for it). The JDK's
     * GHASH runs at GB/s only once the JIT has compiled its callers with the intrinsic (some thousands
     * of calls); a busy executor makes few, large frames, which would otherwise be authenticated by the
     * plain Java GHASH at a tenth of the speed for a long while.
     */
    private static void warmUp() {
        if (!WARMED.compareAndSet(false, true) || !optimizingJit()) {
            return;
        }
        Thread t = new Thread(() -> {
            Frames f = new Frames();
            Out plain = new Out(64);
            plain.write(new byte[48], 0, 48);
            for (int i = 0; i < 30_000; i++) {
                f.open(f.seal(TASKS, "warm-up", plain), TASKS, "warm-up");
            }
        }, "parsl-crypto-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Whether the JIT compiles with C2 (a JVM run with {@code -XX:TieredStopAtLevel} below 4 never uses the intrinsic). */
    private static boolean optimizingJit() {
        for (String option : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-XX:TieredStopAtLevel=") && !option.endsWith("=4")) {
                return false;
            }
        }
        return true;
    }

    /** A codec with a random key, for the warm-up. */
    private Frames() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        this.key = new SecretKeySpec(k, "AES");
        this.ciphers = ThreadLocal.withInitial(() -> {
            try {
                return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM is not available in this JVM", e);
            }
        });
    }

    static byte[] derive(String secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Frames that failed to open, since this codec was made (forged, corrupted, another secret or channel). */
    long dropped() {
        return dropped.get();
    }

    /** Counts a frame dropped for a reason found after it opened (malformed plaintext, a replay). */
    void countDropped() {
        dropped.incrementAndGet();
    }

    /**
     * Encrypts and authenticates a plaintext for a channel.
     *
     * @param kind one of the frame kinds
     * @param channel the topic, map or link it will travel on
     */
    byte[] seal(byte kind, String channel, Out plaintext) {
        if (!WARMED.get() && SEALED.incrementAndGet() == WARM_UP_AFTER) {
            warmUp();
        }
        byte[] frame = new byte[HEADER_LENGTH + plaintext.size() + TAG_BITS / 8];
        frame[0] = VERSION;
        frame[1] = kind;
        byte[] nonce = nextNonce();
        System.arraycopy(nonce, 0, frame, 2, NONCE_LENGTH);
        Cipher c = ciphers.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(frame, 0, 2);
            c.updateAAD(channel.getBytes(StandardCharsets.UTF_8));
            c.doFinal(plaintext.bytes(), 0, plaintext.size(), frame, HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed to seal a frame", e);
        }
        return frame;
    }

    private synchronized byte[] nextNonce() {
        if (++nonceCounter == 0) {
            noncePrefix = RANDOM.nextLong();
        }
        long p = noncePrefix;
        int c = nonceCounter;
        return new byte[] {(byte) (p >>> 56), (byte) (p >>> 48), (byte) (p >>> 40), (byte) (p >>> 32), (byte) (p >>> 24),
            (byte) (p >>> 16), (byte) (p >>> 8), (byte) p, (byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c};
    }

    /** An opened frame: its kind, nonce (for replay checks) and plaintext. */
    record Opened(byte kind, byte[] nonce, byte[] plaintext) {
        DataInputStream in() {
            return new DataInputStream(new Bytes(plaintext, 0, plaintext.length));
        }
    }

    /**
     * Authenticates and decrypts a frame that arrived on a channel.
     *
     * @param expectedKind the only kind that may travel on that channel
     * @return the opened frame, or {@code null} (counted in {@link #dropped()}) if it is not an
     *         authentic frame of that kind for that channel
     */
    Opened open(Object item, byte expectedKind, String channel) {
        if (!(item instanceof byte[] frame) || frame.length < OVERHEAD || frame[0] != VERSION || frame[1] != expectedKind) {
            dropped.incrementAndGet();
            return null;
        }
        byte[] nonce = Arrays.copyOfRange(frame, 2, HEADER_LENGTH);
        Cipher c = ciphers.get();
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(frame, 0, 2);
            c.updateAAD(channel.getBytes(StandardCharsets.UTF_8));
            byte[] plain = c.doFinal(frame, HEADER_LENGTH, frame.length - HEADER_LENGTH);
            return new Opened(frame[1], nonce, plain);
        } catch (GeneralSecurityException | RuntimeException e) {
            dropped.incrementAndGet();
            return null;
        }
    }

    // --- cancel requests

    byte[] cancel(String label, String runId, long taskId, int tryNumber, boolean interrupt) {
        Out out = new Out(64);
        try {
            out.data.writeUTF(runId);
            out.data.writeLong(taskId);
            out.data.writeInt(tryNumber);
            out.data.writeBoolean(interrupt);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return seal(CANCEL, Channels.controlTopic(label), out);
    }

    record Cancel(String runId, long taskId, int tryNumber, boolean interrupt) {
        String key() {
            return Frames.key(runId, taskId, tryNumber);
        }
    }

    static Cancel readCancel(Opened o) throws IOException {
        DataInputStream in = o.in();
        return new Cancel(in.readUTF(), in.readLong(), in.readInt(), in.readBoolean());
    }

    static String key(String runId, long taskId, int tryNumber) {
        return runId + '/' + taskId + '/' + tryNumber;
    }

    // --- heartbeats

    byte[] heartbeat(String label, Heartbeat h) {
        Out out = new Out(128);
        try {
            h.writeTo(out.data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return seal(HEARTBEAT, Channels.heartbeatTopic(label), out);
    }

    // --- byte helpers

    /** A growable output whose buffer can be read without a copy. */
    static final class Out extends ByteArrayOutputStream {
        final DataOutputStream data = new DataOutputStream(this);

        Out(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }

        /** Forgets what was written after {@code size} bytes. */
        void truncate(int size) {
            count = size;
        }

        /** Overwrites 4 bytes at a position already written (a count known only at the end). */
        void patchInt(int at, int value) {
            buf[at] = (byte) (value >>> 24);
            buf[at + 1] = (byte) (value >>> 16);
            buf[at + 2] = (byte) (value >>> 8);
            buf[at + 3] = (byte) value;
        }
    }

    /** An input over part of an array, without the synchronization of ByteArrayInputStream. */
    static final class Bytes extends InputStream {
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
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(b, pos, dst, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return end - pos;
        }
    }
}
