package org.parsl.executors.hazelcast;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;

/**
 * A worker's links to the DataFlowKernels it serves: it finds their executors' link servers in the maps
 * {@code parsl.links.<label>} (sealed endpoint frames; others are dropped and counted), connects to
 * each, proves it holds the secret ({@link LinkServer}'s handshake, which proves the same of the
 * server), and reads the task frames that come, one thread per link ({@code parsl-worker-link-N}),
 * handing them to the {@link Slots}. A link that breaks while its endpoint is still announced is
 * connected again; one whose endpoint is withdrawn is closed. Executors announce themselves again
 * every few seconds, so a worker that missed an announcement (or could not read the map) links at the
 * next one.
 */
final class KernelLinks {

    private static final Logger log = LoggerFactory.getLogger(KernelLinks.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CONNECT_MILLIS = 5_000;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final String workerId;
    private final int room;
    private final List<String> labels;
    private final Frames frames;
    private final Slots slots;
    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<>();
    private final List<IMap<String, Object>> maps = new ArrayList<>();
    private final List<UUID> listeners = new ArrayList<>();
    private volatile boolean closed;
    private int threads;

    KernelLinks(String workerId, int room, List<String> labels, Frames frames, Slots slots) {
        this.workerId = workerId;
        this.room = room;
        this.labels = labels;
        this.frames = frames;
        this.slots = slots;
    }

    /** Watches the endpoint maps of the worker's labels and connects to what is announced there. */
    void start(HazelcastInstance hz) {
        for (String label : labels) {
            IMap<String, Object> map = hz.getMap(Channels.linkMap(label));
            maps.add(map);
            listeners.add(map.addEntryListener(new Watch(label), true));
            try {
                for (Map.Entry<String, Object> e : map.entrySet()) {
                    announced(label, e.getKey(), e.getValue());
                }
            } catch (RuntimeException e) {
                // an entry that cannot be read (something a stranger put there, refused by the serialization
                // filter) spoils the whole read: executors announce themselves again every few seconds
                log.warn("worker {}: could not read the endpoints announced in {} ({}); linking at their next announcement", workerId,
                        Channels.linkMap(label), e.toString());
            }
        }
    }

    private final class Watch implements EntryAddedListener<String, Object>, EntryUpdatedListener<String, Object>,
            EntryRemovedListener<String, Object> {
        private final String label;

        Watch(String label) {
            this.label = label;
        }

        @Override
        public void entryAdded(EntryEvent<String, Object> e) {
            announced(label, e.getKey(), e.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, Object> e) {
            announced(label, e.getKey(), e.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, Object> e) {
            withdrawn(label, e.getKey());
        }
    }

    private synchronized void announced(String label, String key, Object value) {
        if (closed) {
            return;
        }
        Frames.Opened o = frames.open(value, Frames.ENDPOINT, Channels.linkMap(label));
        if (o == null) {
            log.warn("worker {}: dropped an entry of {} that is not an authentic endpoint frame (another secret, or forged)", workerId,
                    Channels.linkMap(label));
            return;
        }
        String runId;
        String host;
        int port;
        try {
            DataInputStream in = o.in();
            runId = in.readUTF();
            host = in.readUTF();
            port = in.readInt();
        } catch (IOException e) {
            frames.countDropped();
            log.warn("worker {}: dropped a malformed endpoint frame in {}", workerId, Channels.linkMap(label));
            return;
        }
        if (!runId.equals(key) || port < 1 || port > 65535) {
            frames.countDropped(); // an authentic endpoint moved to another key: a replay
            log.warn("worker {}: dropped an endpoint frame in {} under a key that is not its run id (a copy)", workerId,
                    Channels.linkMap(label));
            return;
        }
        String id = label + "/" + runId;
        Connection old = connections.get(id);
        if (old != null) {
            if (old.host.equals(host) && old.port == port) {
                return;
            }
            old.stop();
        }
        Connection c = new Connection(label, runId, host, port);
        connections.put(id, c);
        Thread t = new Thread(c::run, "parsl-worker-link-" + (++threads));
        t.setDaemon(true);
        c.thread = t;
        t.start();
    }

    private synchronized void withdrawn(String label, String runId) {
        Connection c = connections.remove(label + "/" + runId);
        if (c != null) {
            c.stop();
        }
    }

    /** Sends sealed result frames on the link to a run's executor of a label. */
    void send(String label, String runId, List<byte[]> sealed) throws IOException {
        Connection c = connections.get(label + "/" + runId);
        Link l = c == null ? null : c.link;
        if (l == null || l.isClosed()) {
            throw new IOException("no link to run " + runId + " of '" + label + "' now");
        }
        l.write(sealed);
    }

    /** Tells every executor it is linked to that this worker stops: they send it nothing more. */
    void leaving() {
        for (Connection c : connections.values()) {
            Link l = c.link;
            if (l != null && !l.isClosed() && c.serverChallenge != null) {
                try {
                    l.write(frames.seal(Frames.LEAVING, Channels.linkHandshake(c.label, c.runId, c.serverChallenge), new Frames.Out(0)));
                } catch (IOException e) {
                    log.debug("worker {}: could not say it leaves on {}", workerId, c, e);
                }
            }
        }
    }

    /** Closes every link and stops watching. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        for (int i = 0; i < maps.size(); i++) {
            try {
                maps.get(i).removeEntryListener(listeners.get(i));
            } catch (RuntimeException e) {
                log.debug("worker {}: could not remove its endpoint listener", workerId, e);
            }
        }
        List<Connection> all = new ArrayList<>(connections.values());
        connections.clear();
        for (Connection c : all) {
            c.stop();
        }
        for (Connection c : all) {
            if (c.thread != null && c.thread != Thread.currentThread()) {
                try {
                    c.thread.join(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The link to one executor: connects, shakes hands, reads task frames; again after a break while announced. */
    private final class Connection {
        final String label;
        final String runId;
        final String host;
        final int port;
        volatile Link link;
        volatile byte[] serverChallenge;
        volatile boolean stopped;
        Thread thread;

        Connection(String label, String runId, String host, int port) {
            this.label = label;
            this.runId = runId;
            this.host = host;
            this.port = port;
        }

        void run() {
            long backoff = 100;
            while (!stopped && !closed) {
                boolean served = false;
                try {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
                    } catch (IOException e) {
                        s.close();
                        throw e;
                    }
                    Link l = new Link(s);
                    link = l;
                    if (stopped || closed) {
                        l.close();
                        return;
                    }
                    if (!handshake(l)) {
                        l.close();
                        return; // not the executor it says it is: never again (a new announcement would try anew)
                    }
                    served = true;
                    backoff = 100;
                    log.debug("worker {}: linked to run {} of '{}' at {}:{}", workerId, runId, label, host, port);
                    String channel = Channels.linkTasks(label, runId);
                    while (!stopped && !closed) {
                        byte[] frame = l.read(Link.MAX_FRAME_BYTES);
                        slots.deliver(label, channel, frame);
                    }
                } catch (IOException e) {
                    if (!stopped && !closed) {
                        log.debug("worker {}: link to run {} of '{}' at {}:{} ended: {}", workerId, runId, label, host, port, e.toString());
                    }
                } finally {
                    Link l = link;
                    if (l != null) {
                        l.close();
                    }
                }
                if (stopped || closed) {
                    return;
                }
                try {
                    Thread.sleep(served ? 50 : backoff); // the endpoint is still announced: connect again
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }

        private boolean handshake(Link l) throws IOException {
            l.readTimeout(LinkServer.HANDSHAKE_MILLIS);
            byte[] challenge = l.read(Link.MAX_HANDSHAKE_BYTES);
            if (challenge.length != Link.CHALLENGE_BYTES) {
                frames.countDropped();
                return false;
            }
            byte[] mine = new byte[Link.CHALLENGE_BYTES];
            RANDOM.nextBytes(mine);
            Frames.Out out = new Frames.Out(64);
            out.data.writeUTF(workerId);
            out.data.writeInt(room);
            out.data.write(mine);
            l.write(frames.seal(Frames.HELLO, Channels.linkHandshake(label, runId, challenge), out));
            byte[] welcome = l.read(Link.MAX_HANDSHAKE_BYTES);
            if (frames.open(welcome, Frames.WELCOME, Channels.linkHandshake(label, runId, mine)) == null) {
                log.warn("worker {}: the link server announced for run {} of '{}' at {}:{} did not prove it holds the secret; not used",
                        workerId, runId, label, host, port);
                return false;
            }
            l.readTimeout(0);
            serverChallenge = Arrays.copyOf(challenge, challenge.length);
            return true;
        }

        void stop() {
            stopped = true;
            Link l = link;
            if (l != null) {
                l.close();
            }
            if (thread != null) {
                thread.interrupt();
            }
        }

        @Override
        public String toString() {
            return "link to run " + runId + " of '" + label + "' at " + host + ":" + port;
        }
    }
}
