package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.replicatedmap.ReplicatedMap;

/**
 * The attacker of the security tests: a plain Hazelcast client on loopback, as another user of the
 * machine would write it — no serialization filter, knowing the member's address and a cluster name,
 * never the secret — the objects it offers, and what it can read in the cluster ({@link #readable}).
 * Tasks and results do not travel through the cluster (they go on the links of {@link LinkServer},
 * which {@link LinkPeer} attacks); what an insider can reach there is the map of link endpoints
 * {@code parsl.links.<label>} and the heartbeat and control topics.
 */
final class Intruder {

    private Intruder() {
    }

    /** A plain client of this cluster name; throws {@link IllegalStateException} if it cannot join within the timeout. */
    static HazelcastInstance connect(String clusterName, String member, long timeoutMillis) {
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        c.setInstanceName("intruder-" + ItSupport.uniqueCluster());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.getNetworkConfig().setAddresses(List.of(member));
        c.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setInitialBackoffMillis(100).setMaxBackoffMillis(500).setClusterConnectTimeoutMillis(timeoutMillis);
        c.getMetricsConfig().setEnabled(false);
        return HazelcastClient.newHazelcastClient(c);
    }

    /**
     * An "insider": knows the real cluster name (derived from the secret), but not the secret itself.
     * No stranger can be one; the tests use it to show the defences behind the cluster name hold too.
     */
    static HazelcastInstance insider(String configuredClusterName, String secretOfTheTest, String member) {
        return connect(Channels.clusterName(configuredClusterName, secretOfTheTest), member, 10_000);
    }

    /**
     * A class whose {@code readObject} has a side effect: it writes a marker file (named after the
     * JVM it ran in) into {@code dir}. It is on every worker's class path (the test classes), so if
     * any of our JVMs deserialized it, the file would exist. It is also a {@code Callable} for
     * Hazelcast's executor service and an entry processor.
     */
    static final class Gadget implements Serializable, Callable<String>, EntryProcessor<Object, Object, Object> {
        private static final long serialVersionUID = 1L;
        final String dir;

        Gadget(Path dir) {
            this.dir = dir.toString();
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(dir, "readObject-ran-in-pid-" + ProcessHandle.current().pid() + "-" + System.nanoTime()), "pwned");
        }

        @Override
        public String call() throws IOException {
            Files.writeString(Path.of(dir, "call-ran-in-pid-" + ProcessHandle.current().pid()), "pwned");
            return "pwned";
        }

        @Override
        public Object process(Map.Entry<Object, Object> entry) {
            try {
                Files.writeString(Path.of(dir, "process-ran-in-pid-" + ProcessHandle.current().pid()), "pwned");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return "pwned";
        }
    }

    /**
     * The classic deserialization bomb of JDK classes only: 100 nested levels of two HashSets each;
     * reading it back computes 2^100 hash codes.
     */
    static Set<Object> hashSetBomb() {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    /** A 27-byte Java serialization stream that declares an {@code int[400000000]} (1.6 GB) and holds none of it. */
    static byte[] hugeIntArrayStream() {
        ByteBuffer b = ByteBuffer.allocate(27);
        b.putShort((short) 0xACED).putShort((short) 5); // magic, version
        b.put((byte) 0x75); // TC_ARRAY
        b.put((byte) 0x72); // TC_CLASSDESC
        b.putShort((short) 2).put((byte) '[').put((byte) 'I');
        b.putLong(0x4DBA602676EAB2A5L); // serialVersionUID of int[]
        b.put((byte) 0x02); // SC_SERIALIZABLE
        b.putShort((short) 0); // no fields
        b.put((byte) 0x78); // TC_ENDBLOCKDATA
        b.put((byte) 0x70); // TC_NULL: no superclass
        b.putInt(400_000_000);
        return b.array();
    }

    /**
     * Everything the client can read in the cluster now, by structure ({@code service:name}): the items
     * of every queue, list and set, the keys and values of every map, of every distributed object it can
     * list. Topics keep no messages: listen to them to hear what they carry. Values are deserialized
     * here, without a filter: the tests leave no gadget in the cluster.
     */
    static Map<String, List<Object>> readable(HazelcastInstance hz) {
        Map<String, List<Object>> seen = new LinkedHashMap<>();
        for (DistributedObject o : hz.getDistributedObjects()) {
            List<Object> items = new ArrayList<>();
            if (o instanceof IMap<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    items.add(e.getKey());
                    items.add(e.getValue());
                }
            } else if (o instanceof ReplicatedMap<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    items.add(e.getKey());
                    items.add(e.getValue());
                }
            } else if (o instanceof MultiMap<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    items.add(e.getKey());
                    items.add(e.getValue());
                }
            } else if (o instanceof Collection<?> c) { // IQueue, IList, ISet
                items.addAll(c);
            }
            seen.put(o.getServiceName() + ":" + o.getName(), items);
        }
        return seen;
    }

    /** Whether an item read from the cluster holds {@code clear}: bytes in a frame, text in a string or name. */
    static boolean holds(Object item, String clear) {
        byte[] needle = clear.getBytes(StandardCharsets.UTF_8);
        if (item instanceof byte[] b) {
            return contains(b, needle);
        }
        return String.valueOf(item).contains(clear);
    }

    /** Whether {@code needle} occurs in {@code hay}. */
    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** A copy with one bit flipped at {@code index}. */
    static byte[] flipped(byte[] frame, int index) {
        byte[] f = frame.clone();
        f[index] ^= 0x01;
        return f;
    }
}
