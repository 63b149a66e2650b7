package org.parsl.executors.hazelcast;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One TCP connection between a DataFlowKernel's executor and a worker: the line task and result
 * frames travel on, each {@code length(4) frame}. It carries sealed frames only ({@link Frames}), so
 * what a stranger could read or write on it is what it could read or write in a Hazelcast queue: bytes
 * that do not open. Reads are done by one thread; writes by any, one at a time, each flushed at once
 * (no Nagle delay: a frame is usually a whole message).
 *
 * <p>Before the peer has proven it holds the secret (the handshake of {@link LinkServer}), a frame may
 * be at most {@link #MAX_HANDSHAKE_BYTES}, so a stranger cannot make this JVM allocate.
 */
final class Link implements Closeable {

    /** A handshake frame is at most this long. */
    static final int MAX_HANDSHAKE_BYTES = 4_096;
    /** A frame from an authenticated peer is at most this long (a task with a large argument). */
    static final int MAX_FRAME_BYTES = 512 * 1024 * 1024;
    /** Length of the random challenges of the handshake. */
    static final int CHALLENGE_BYTES = 16;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final ReentrantLock writing = new ReentrantLock();
    private volatile boolean closed;

    Link(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    }

    /** Reads the next frame, at most {@code max} bytes; one reader thread only. */
    byte[] read(int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("a frame of " + n + " bytes arrived (at most " + max + " allowed here)");
        }
        byte[] frame = new byte[n];
        in.readFully(frame);
        return frame;
    }

    /** Writes one frame and flushes. */
    void write(byte[] frame) throws IOException {
        writing.lock();
        try {
            out.writeInt(frame.length);
            out.write(frame);
            out.flush();
        } finally {
            writing.unlock();
        }
    }

    /** Writes frames and flushes once. */
    void write(List<byte[]> frames) throws IOException {
        writing.lock();
        try {
            for (byte[] f : frames) {
                out.writeInt(f.length);
                out.write(f);
            }
            out.flush();
        } finally {
            writing.unlock();
        }
    }

    /** Sets how long a read may wait (0: forever). */
    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    boolean isClosed() {
        return closed;
    }

    String peer() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    /** Closes the connection; a blocked read or write ends with an exception. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Whether an exception from {@link #read} means the peer closed the connection (not an error). */
    static boolean isEnd(IOException e) {
        return e instanceof EOFException || e instanceof java.net.SocketException;
    }
}
