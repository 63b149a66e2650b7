package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The link server's handshake, attacked over real loopback sockets: only a hello sealed with the secret
 * on the challenge of its own connection opens a lane; everything else closes the connection, is
 * counted, and gets nothing sent.
 */
class LinkServerTest {

    private static final String SECRET = "link-server-test-secret";
    private final Frames frames = new Frames(SECRET);
    private final InFlight inFlight = new InFlight((t, interrupt) -> { });
    private LinkServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        ResultReader reader = new ResultReader("hz", "run-1", frames, inFlight, null, new Allowlist(List.of(), getClass().getClassLoader()));
        server = new LinkServer("hz", "run-1", frames, "127.0.0.1", reader, inFlight);
        server.handshakeMillis(500);
        server.listen();
        String a = server.address();
        port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** A peer's connection: the raw stream, as an attacker (or a worker) sees it. */
    private final class Peer implements AutoCloseable {
        final Socket socket = new Socket();
        final DataInputStream in;
        final DataOutputStream out;

        Peer() throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
        }

        byte[] read() throws IOException {
            int n = in.readInt();
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        void write(byte[] frame) throws IOException {
            out.writeInt(frame.length);
            out.write(frame);
            out.flush();
        }

        /** Whether the server closed the connection (a read ends), not just kept silent for the 10 s read timeout. */
        boolean closedByServer() {
            try {
                return in.read() == -1;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] hello(Frames f, byte[] challenge, byte[] mine, int room) throws IOException {
        Frames.Out out = new Frames.Out(64);
        out.data.writeUTF("worker-1");
        out.data.writeInt(room);
        out.data.write(mine);
        return f.seal(Frames.HELLO, Channels.linkHandshake("hz", "run-1", challenge), out);
    }

    @Test
    void aHelloSealedWithTheSecretOnItsChallengeOpensALaneAndTheServerProvesItHoldsTheSecretToo() throws Exception {
        try (Peer p = new Peer()) {
            byte[] challenge = p.read();
            assertThat(challenge).hasSize(Link.CHALLENGE_BYTES);
            byte[] mine = new byte[Link.CHALLENGE_BYTES];
            mine[0] = 7;
            p.write(hello(frames, challenge, mine, 3));
            byte[] welcome = p.read();
            assertThat(frames.open(welcome, Frames.WELCOME, Channels.linkHandshake("hz", "run-1", mine))).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.lanes().size() == 1);
            LinkServer.Lane lane = server.lanes().get(0);
            assertThat(lane.workerId).isEqualTo("worker-1");
            assertThat(lane.free()).isEqualTo(3);
            p.write(frames.seal(Frames.LEAVING, Channels.linkHandshake("hz", "run-1", challenge), new Frames.Out(0)));
            await().atMost(Duration.ofSeconds(10)).until(() -> lane.leaving);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.lanes().isEmpty());
        assertThat(frames.dropped()).isZero();
    }

    @Test
    void aHelloSealedWithAnotherSecretIsRefusedCountedAndAnsweredWithNothing() throws Exception {
        try (Peer p = new Peer()) {
            byte[] challenge = p.read();
            p.write(hello(new Frames("another-secret"), challenge, new byte[Link.CHALLENGE_BYTES], 3));
            assertThat(p.closedByServer()).isTrue();
        }
        assertThat(frames.dropped()).isEqualTo(1);
        assertThat(server.lanes()).isEmpty();
    }

    @Test
    void aRecordedHelloReplayedOnAnotherConnectionDoesNotOpen() throws Exception {
        byte[] recorded;
        try (Peer first = new Peer()) {
            byte[] challenge = first.read();
            recorded = hello(frames, challenge, new byte[Link.CHALLENGE_BYTES], 2);
            first.write(recorded);
            first.read(); // the welcome
            await().atMost(Duration.ofSeconds(10)).until(() -> server.lanes().size() == 1);
            try (Peer replayer = new Peer()) {
                replayer.read(); // a fresh challenge
                replayer.write(recorded);
                assertThat(replayer.closedByServer()).isTrue();
            }
            assertThat(server.lanes()).hasSize(1);
        }
        assertThat(frames.dropped()).isEqualTo(1);
    }

    @Test
    void aHugeDeclaredLengthOrJunkAsTheFirstFrameIsRefusedWithoutAllocating() throws Exception {
        try (Peer p = new Peer()) {
            p.read();
            p.out.writeInt(Integer.MAX_VALUE); // a 2 GB "hello"
            p.out.flush();
            assertThat(p.closedByServer()).isTrue();
        }
        try (Peer p = new Peer()) {
            p.read();
            p.write(new byte[] {1, 2, 3});
            assertThat(p.closedByServer()).isTrue();
        }
        try (Peer p = new Peer()) {
            p.read();
            p.write(hello(frames, new byte[Link.CHALLENGE_BYTES], new byte[Link.CHALLENGE_BYTES], 0)); // sealed, but on another challenge
            assertThat(p.closedByServer()).isTrue();
        }
        assertThat(frames.dropped()).isEqualTo(3);
        assertThat(server.lanes()).isEmpty();
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Peer p = new Peer()) {
            p.read();
            assertThat(p.closedByServer()).isTrue(); // within the 500 ms the test gave it, not the 10 s read timeout
        }
        assertThat(frames.dropped()).isEqualTo(1);
    }
}
