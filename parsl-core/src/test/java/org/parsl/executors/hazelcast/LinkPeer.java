package org.parsl.executors.hazelcast;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;

/**
 * A raw peer on the links of the security tests, over real loopback sockets: the bytes of
 * {@link Link}'s framing ({@code length(4) frame}) written and read by hand. It can be a stranger that
 * connects to a {@link LinkServer} and sends whatever it likes, a fake worker that holds a secret and
 * does the worker's half of the handshake ({@link #link}), or a fake link server a worker was sent to
 * by an endpoint in {@code parsl.links.<label>} ({@link #accept}); {@link Trap} is a listener that
 * only counts who connects, and {@link Heartbeats} makes a fake worker look alive.
 */
final class LinkPeer implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The most a test reads as one frame (a task or result frame of a test is far smaller). */
    private static final int MAX_READ = 16 * 1024 * 1024;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    /** After the handshake: the challenge the server sent (the channel of a LEAVING frame). */
    byte[] serverChallenge;
    /** After {@link #accept}: what the worker said in its hello. */
    String workerId;
    int room;

    private LinkPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    /** A raw connection to {@code host:port} (a link server's {@code links} setting); nothing sent yet. */
    static LinkPeer connect(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 5_000);
            return new LinkPeer(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * A fake worker that holds {@code frames}' secret: connects to the link server at {@code address}
     * and does the worker's half of the handshake; the server's WELCOME must open.
     */
    static LinkPeer link(String address, Frames frames, String label, String runId, String workerId, int room) throws IOException {
        LinkPeer p = connect(address);
        try {
            byte[] challenge = p.read();
            if (challenge.length != Link.CHALLENGE_BYTES) {
                throw new IOException("the server's challenge has " + challenge.length + " bytes");
            }
            byte[] mine = challenge();
            p.write(hello(frames, label, runId, challenge, workerId, room, mine));
            byte[] welcome = p.read();
            if (frames.open(welcome, Frames.WELCOME, Channels.linkHandshake(label, runId, mine)) == null) {
                throw new IOException("the link server's welcome does not open");
            }
            p.serverChallenge = challenge;
            p.workerId = workerId;
            p.room = room;
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * A fake link server that holds {@code frames}' secret: accepts the next connection on
     * {@code server} (within 30 s) and does the server's half of the handshake for run {@code runId}
     * of {@code label}; the worker's HELLO must open.
     */
    static LinkPeer accept(ServerSocket server, Frames frames, String label, String runId) throws IOException {
        server.setSoTimeout(READ_TIMEOUT_MILLIS);
        LinkPeer p = new LinkPeer(server.accept());
        try {
            byte[] challenge = challenge();
            p.write(challenge);
            Frames.Opened hello = frames.open(p.read(), Frames.HELLO, Channels.linkHandshake(label, runId, challenge));
            if (hello == null) {
                throw new IOException("the worker's hello does not open");
            }
            DataInputStream h = hello.in();
            p.workerId = h.readUTF();
            p.room = h.readInt();
            byte[] theirs = new byte[Link.CHALLENGE_BYTES];
            h.readFully(theirs);
            p.write(frames.seal(Frames.WELCOME, Channels.linkHandshake(label, runId, theirs), new Frames.Out(0)));
            p.serverChallenge = challenge;
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** A fresh random challenge. */
    static byte[] challenge() {
        byte[] c = new byte[Link.CHALLENGE_BYTES];
        RANDOM.nextBytes(c);
        return c;
    }

    /** A worker's HELLO as {@link KernelLinks} seals it. */
    static byte[] hello(Frames frames, String label, String runId, byte[] serverChallenge, String workerId, int room, byte[] mine)
            throws IOException {
        Frames.Out out = new Frames.Out(64);
        out.data.writeUTF(workerId);
        out.data.writeInt(room);
        out.data.write(mine);
        return frames.seal(Frames.HELLO, Channels.linkHandshake(label, runId, serverChallenge), out);
    }

    /** An ENDPOINT frame as {@link LinkServer} announces it in {@code parsl.links.<label>}. */
    static byte[] endpoint(Frames frames, String label, String runId, String host, int port) throws IOException {
        Frames.Out out = new Frames.Out(64);
        out.data.writeUTF(runId);
        out.data.writeUTF(host);
        out.data.writeInt(port);
        return frames.seal(Frames.ENDPOINT, Channels.linkMap(label), out);
    }

    /** Reads the next frame (at most 30 s). */
    byte[] read() throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_READ) {
            throw new IOException("a frame of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** Writes frames, flushed once. */
    void write(byte[]... frames) throws IOException {
        for (byte[] f : frames) {
            out.writeInt(f.length);
            out.write(f);
        }
        out.flush();
    }

    /** Writes raw bytes (no length prefix), flushed. */
    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Whether the other side closes the connection (a read ends, or the connection is reset) before it
     * sends anything more, within 30 s. False if a byte arrives or nothing happens for 30 s.
     */
    boolean closedByPeer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: the other side closed with bytes of ours unread
        }
    }

    /** Reads frames until the other side closes; false if a frame fails to read otherwise or 30 s pass. */
    boolean drainUntilClosed(List<byte[]> into) {
        try {
            while (true) {
                into.add(read());
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /**
     * A listener on an ephemeral loopback port that counts the connections it gets and writes
     * {@code greeting} on each (what it would tell a worker that came), keeping them open until closed.
     */
    static final class Trap implements AutoCloseable {
        final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread thread;

        Trap(byte[]... greeting) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    Socket s;
                    try {
                        s = server.accept();
                    } catch (IOException e) {
                        return;
                    }
                    connections.incrementAndGet();
                    accepted.add(s);
                    try {
                        DataOutputStream o = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                        for (byte[] f : greeting) {
                            o.writeInt(f.length);
                            o.write(f);
                        }
                        o.flush();
                    } catch (IOException e) {
                        // the visitor left
                    }
                }
            }, "link-peer-trap");
            thread.setDaemon(true);
            thread.start();
        }

        String host() {
            return server.getInetAddress().getHostAddress();
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws InterruptedException {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
            for (Socket s : accepted) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            thread.join(5_000);
        }
    }

    /**
     * The heartbeats of a fake worker that holds the secret: every {@code period}, an authentic
     * heartbeat (its id, {@code slots} slots, no prefetch, none busy, the label, no client uuid, one
     * incarnation, a growing sequence) on the label's heartbeat topic, so the DataFlowKernel counts it
     * as serving. {@link #close()} stops them and says the worker stops, so it is gone at once.
     */
    static final class Heartbeats implements AutoCloseable {
        private final ITopic<Object> topic;
        private final Frames frames;
        private final String label;
        private final String workerId;
        private final int slots;
        private final long incarnation = RANDOM.nextLong();
        private final AtomicLong sequence = new AtomicLong();
        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "link-peer-heartbeats");
            t.setDaemon(true);
            return t;
        });

        Heartbeats(HazelcastInstance via, Frames frames, String label, String workerId, int slots, java.time.Duration period) {
            this.topic = via.getTopic(Channels.heartbeatTopic(label));
            this.frames = frames;
            this.label = label;
            this.workerId = workerId;
            this.slots = slots;
            scheduler.scheduleAtFixedRate(() -> beat(false), 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void beat(boolean stopping) {
            Heartbeat h = new Heartbeat(workerId, "fake-host", 1, slots, 0, 0, List.of(label), "", incarnation, sequence.incrementAndGet(),
                    stopping);
            try {
                topic.publish(frames.heartbeat(label, h));
            } catch (RuntimeException e) {
                // the cluster is going away
            }
        }

        @Override
        public void close() throws InterruptedException {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            beat(true);
        }
    }
}
