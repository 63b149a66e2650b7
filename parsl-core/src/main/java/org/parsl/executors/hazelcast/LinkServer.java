package org.parsl.executors.hazelcast;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * The DataFlowKernel's end of its links to workers: a TCP server on the member's address (any free
 * port), announced in the map {@code parsl.links.<label>} as a sealed {@link Frames#ENDPOINT} frame
 * under the run id, so the workers of the label find it through the cluster they already joined. It
 * is announced again every {@link #ANNOUNCE_MILLIS} (an announcement someone deleted, or one a
 * worker could not read, is not lost for long).
 *
 * <p>Tasks and results travel on links, not through Hazelcast: a task is one write from the
 * submitting thread to the worker's socket, a result one write back, read by the link's own thread —
 * two messages and three thread wake-ups per round trip, where a queue in the member costs four
 * messages and seven. Heartbeats, cancel requests and the cluster's membership stay in Hazelcast.
 *
 * <p><b>Handshake.</b> The server sends a fresh random challenge; the worker answers with a
 * {@link Frames#HELLO} sealed on a channel that holds the label, the run id and that challenge (its id,
 * its room and a challenge of its own); the server answers with a {@link Frames#WELCOME} sealed on the
 * worker's challenge. Who lacks the secret cannot seal the hello, and a recorded hello does not open
 * under another challenge: the connection is closed, counted in {@link Frames#dropped()}, and nothing
 * was sent on it. Before the hello a frame may be at most {@link Link#MAX_HANDSHAKE_BYTES}, it must
 * come within {@link #HANDSHAKE_MILLIS}, and at most {@link #MAX_PENDING} connections may be in their
 * handshake at once.
 *
 * <p><b>Threads.</b> {@code parsl-<label>-links} accepts; each link has a reader thread,
 * {@code parsl-<label>-link-<n>}, which reads the worker's result frames and hands them to the
 * {@link ResultReader}: futures of this executor complete on the reader thread of the link their
 * result came on, and dependents launch from it.
 */
final class LinkServer {

    private static final Logger log = LoggerFactory.getLogger(LinkServer.class);
    static final int HANDSHAKE_MILLIS = 5_000;
    /** How often the endpoint is announced again. */
    static final long ANNOUNCE_MILLIS = 2_000;
    /** Connections that have not finished their handshake, at most; more are closed at once (and counted). */
    static final int MAX_PENDING = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One worker's link, as the dispatcher sees it: who, how much room, how many of its tries are out. */
    static final class Lane {
        final String workerId;
        final int room;
        final Link link;
        final AtomicInteger outstanding = new AtomicInteger();
        volatile boolean leaving;
        /** It held tries it never started: it is given nothing more and closed. */
        volatile boolean broken;
        /** The channel its LEAVING frame is sealed on: the challenge this server sent it. */
        String leavingChannel;

        private final int refill;

        Lane(String workerId, int room, Link link) {
            this.workerId = workerId;
            this.room = room;
            this.link = link;
            this.refill = Math.max(1, room / 8);
        }

        /** Run when room is freed (the dispatcher's kick). */
        volatile Runnable freed;

        /**
         * One of its tries ended. The dispatcher is told once an eighth of the room is free (at once for
         * a room of up to 8): a worker with a deep prefetch keeps most of it to work on, and gets the
         * next tries in one frame rather than one frame per result.
         */
        void release() {
            int out = outstanding.decrementAndGet();
            Runnable r = freed;
            if (r != null && room - out >= refill) {
                r.run();
            }
        }

        /** Tries the worker may still be given. */
        int free() {
            return room - outstanding.get();
        }

        boolean open() {
            return !leaving && !broken && !link.isClosed();
        }

        @Override
        public String toString() {
            return "link to worker " + workerId + " (" + link.peer() + ")";
        }
    }

    private final String label;
    private final String runId;
    private final Frames frames;
    private final String host;
    private final ResultReader reader;
    private final InFlight inFlight;
    private final CopyOnWriteArrayList<Lane> lanes = new CopyOnWriteArrayList<>();
    private final List<Link> pending = new CopyOnWriteArrayList<>();
    private final AtomicInteger threads = new AtomicInteger();
    private volatile Consumer<Lane> onOpen = l -> { };
    private volatile boolean stopped;
    private ServerSocket server;
    private Thread acceptor;
    private IMap<String, byte[]> endpoints;
    private int handshakeMillis = HANDSHAKE_MILLIS;

    LinkServer(String label, String runId, Frames frames, String host, ResultReader reader, InFlight inFlight) {
        this.label = label;
        this.runId = runId;
        this.frames = frames;
        this.host = host;
        this.reader = reader;
        this.inFlight = inFlight;
    }

    /** How long a connection may take to send its hello (tests make it short). */
    void handshakeMillis(int millis) {
        this.handshakeMillis = millis;
    }

    /** Called with each lane when its handshake is done (the dispatcher sends what waits). */
    void onOpen(Consumer<Lane> onOpen) {
        this.onOpen = onOpen;
    }

    /** Binds, starts accepting, and announces the endpoint in the cluster. */
    void start(HazelcastInstance hz) throws IOException {
        listen();
        endpoints = hz.getMap(Channels.linkMap(label));
        endpoints.set(runId, endpoint());
    }

    /** Announces the endpoint again (workers that missed it, or whose view of the map failed, link now); on the monitor thread. */
    void announceAgain() {
        if (stopped || endpoints == null) {
            return;
        }
        try {
            endpoints.set(runId, endpoint());
        } catch (RuntimeException e) {
            log.debug("executor '{}': could not announce its link endpoint again", label, e);
        }
    }

    /** Binds and starts accepting (without announcing: {@link #start}). */
    void listen() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 128);
        acceptor = new Thread(this::accept, "parsl-" + label + "-links");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where it listens, {@code host:port}. */
    String address() {
        return host + ":" + server.getLocalPort();
    }

    private byte[] endpoint() {
        Frames.Out out = new Frames.Out(64);
        try {
            out.data.writeUTF(runId);
            out.data.writeUTF(host);
            out.data.writeInt(server.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return frames.seal(Frames.ENDPOINT, Channels.linkMap(label), out);
    }

    /** The open lanes (a snapshot-safe list: iterate freely). */
    List<Lane> lanes() {
        return lanes;
    }

    private void accept() {
        while (!stopped) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!stopped) {
                    log.warn("executor '{}': accepting worker links failed: {}", label, e.toString());
                }
                return;
            }
            Thread t = new Thread(() -> serve(s), "parsl-" + label + "-link-" + threads.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        Link link;
        try {
            link = new Link(s);
        } catch (IOException e) {
            closeQuietly(s);
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            frames.countDropped();
            log.warn("executor '{}': {} connections to its link server are in their handshake already; {} closed", label, MAX_PENDING,
                    link.peer());
            link.close();
            return;
        }
        pending.add(link);
        Lane lane = null;
        try {
            if (stopped) {
                return;
            }
            lane = handshake(link);
            if (lane == null) {
                return;
            }
            lanes.add(lane);
            pending.remove(link);
            if (stopped) {
                return;
            }
            log.debug("executor '{}': {} open (room {})", label, lane, lane.room);
            onOpen.accept(lane);
            if (stopped) {
                return;
            }
            while (!stopped) {
                byte[] frame = link.read(Link.MAX_FRAME_BYTES);
                if (frame.length > 1 && frame[1] == Frames.LEAVING) {
                    if (frames.open(frame, Frames.LEAVING, lane.leavingChannel) != null) {
                        lane.leaving = true;
                        log.debug("executor '{}': {} says its worker stops", label, lane);
                    }
                    continue;
                }
                try {
                    reader.handle(frame);
                } catch (RuntimeException | LinkageError e) {
                    log.warn("executor '{}': a result frame from {} could not be handled: {}", label, lane, e.toString());
                }
            }
        } catch (IOException e) {
            if (!stopped && lane != null && !Link.isEnd(e)) {
                log.info("executor '{}': {} failed: {}", label, lane, e.toString());
            }
        } finally {
            pending.remove(link);
            link.close();
            if (lane != null) {
                lanes.remove(lane);
                closed(lane);
            }
        }
    }

    /** Runs the handshake; the lane, or null (the connection is then closed). */
    private Lane handshake(Link link) throws IOException {
        byte[] challenge = new byte[Link.CHALLENGE_BYTES];
        RANDOM.nextBytes(challenge);
        link.readTimeout(handshakeMillis);
        link.write(challenge);
        byte[] hello;
        try {
            hello = link.read(Link.MAX_HANDSHAKE_BYTES);
        } catch (IOException e) {
            frames.countDropped();
            log.warn("executor '{}': a connection from {} to its link server sent no valid hello ({}); closed", label, link.peer(),
                    e.toString());
            return null;
        }
        Frames.Opened o = frames.open(hello, Frames.HELLO, Channels.linkHandshake(label, runId, challenge));
        if (o == null) {
            log.warn("executor '{}': a connection from {} to its link server did not authenticate (another secret, a replayed or"
                    + " forged hello); closed. {} frames dropped so far", label, link.peer(), frames.dropped());
            return null;
        }
        String workerId;
        int room;
        byte[] theirs = new byte[Link.CHALLENGE_BYTES];
        try {
            DataInputStream in = o.in();
            workerId = in.readUTF();
            room = in.readInt();
            in.readFully(theirs);
        } catch (IOException e) {
            frames.countDropped();
            return null;
        }
        if (room < 1) {
            frames.countDropped();
            return null;
        }
        link.write(frames.seal(Frames.WELCOME, Channels.linkHandshake(label, runId, theirs), new Frames.Out(0)));
        link.readTimeout(0);
        Lane lane = new Lane(workerId, room, link);
        lane.leavingChannel = Channels.linkHandshake(label, runId, challenge);
        return lane;
    }

    /** A lane closed: its tries that no result ended fail with {@link WorkerLost}, so the DataFlowKernel retries them. */
    private void closed(Lane lane) {
        int failed = 0;
        for (Try t : inFlight.snapshot()) {
            if (t.sentOn() == lane && t.fail(new WorkerLost(lane.workerId, "worker '" + lane.workerId + "' was lost (its link closed) while it held "
                    + t))) {
                failed++;
            }
        }
        for (Try t : inFlight.drainingSnapshot()) {
            if (t.sentOn() == lane) {
                t.bodyEnded(); // a cancelled try's body on a worker whose link is gone: nothing more will be heard of it
            }
        }
        if (failed > 0 && !stopped) {
            log.info("executor '{}': {} closed; {} of its tasks failed with WorkerLost", label, lane, failed);
        }
    }

    /** Withdraws the endpoint, stops accepting, closes every link. */
    void stop() {
        stopped = true;
        try {
            if (endpoints != null) {
                endpoints.delete(runId);
            }
        } catch (RuntimeException e) {
            log.debug("executor '{}': could not withdraw its link endpoint", label, e);
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Link l : pending) {
            l.close();
        }
        for (Lane l : new ArrayList<>(lanes)) {
            l.link.close();
        }
        if (acceptor != null) {
            try {
                acceptor.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
