package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.parsl.app.Invocation;
import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;

class FramesTest {

    private final Frames frames = new Frames("the-right-secret");
    private final Allowlist allowlist = new Allowlist(List.of(), FramesTest.class.getClassLoader());
    private final String channel = Channels.linkTasks("gpu", "run-1");

    private byte[] taskFrame(Frames with, String onChannel) throws IOException {
        TaskFunction<Integer, Integer> inc = x -> x + 1;
        TaskBatch.Writer w = new TaskBatch.Writer("run-1");
        TaskBatch.SerializedFunctions cache = new TaskBatch.SerializedFunctions();
        w.add(7, 2, "inc", Invocation.of(inc, new Object[] {41}), cache);
        w.add(8, 0, "inc", Invocation.of(inc, new Object[] {"not an int"}), cache);
        return with.seal(Frames.TASKS, onChannel, w.finish());
    }

    @Test
    void aTaskFrameReadsBackWithItsFunctionSentOnceAndItsArguments() throws Exception {
        Frames.Opened o = frames.open(taskFrame(frames, channel), Frames.TASKS, channel);
        List<TaskBatch.Task> tasks = TaskBatch.read(o);
        assertThat(tasks).extracting(TaskBatch.Task::taskId).containsExactly(7L, 8L);
        assertThat(tasks.get(0).tryNumber()).isEqualTo(2);
        assertThat(tasks.get(0).runId()).isEqualTo("run-1");
        assertThat(tasks.get(0).function()).isSameAs(tasks.get(1).function());
        TaskBatch.LoadedFunctions loaded = new TaskBatch.LoadedFunctions();
        assertThat(tasks.get(0).body(loaded, allowlist).call()).isEqualTo(42);
    }

    @Test
    void thePayloadIsEncrypted() throws IOException {
        byte[] frame = taskFrame(frames, channel);
        assertThat(new String(frame, StandardCharsets.ISO_8859_1)).doesNotContain("run-1").doesNotContain("not an int");
    }

    @Test
    void aFrameSealedWithAnotherSecretDoesNotOpenAndIsCounted() throws IOException {
        assertThat(frames.open(taskFrame(new Frames("another-secret"), channel), Frames.TASKS, channel)).isNull();
        assertThat(frames.dropped()).isEqualTo(1);
    }

    @Test
    void aFrameMovedToAnotherChannelDoesNotOpen() throws IOException {
        byte[] forCpu = taskFrame(frames, Channels.linkTasks("cpu", "run-1"));
        assertThat(frames.open(forCpu, Frames.TASKS, channel)).isNull();
    }

    @Test
    void everyFlippedBitIsDetected() throws IOException {
        byte[] frame = taskFrame(frames, channel);
        for (int i = 0; i < frame.length; i++) {
            byte[] bad = frame.clone();
            bad[i] ^= 0x10;
            assertThat(frames.open(bad, Frames.TASKS, channel)).as("bit flipped in byte %d", i).isNull();
        }
    }

    @Test
    void itemsThatAreNotFramesAreRefusedWithoutThrowing() {
        assertThat(frames.open("a string", Frames.TASKS, channel)).isNull();
        assertThat(frames.open(new byte[] {1, 2, 3}, Frames.TASKS, channel)).isNull();
        assertThat(frames.open(null, Frames.TASKS, channel)).isNull();
        assertThat(frames.dropped()).isEqualTo(3);
    }

    @Test
    void aFrameOfAnotherKindIsRefusedOnAChannel() throws IOException {
        byte[] frame = taskFrame(frames, channel);
        assertThat(frames.open(frame, Frames.RESULTS, channel)).isNull();
    }

    @Test
    void aResultFrameCarriesItsRecordsInOrder() throws IOException {
        ResultBatch.Writer w = new ResultBatch.Writer("gpu", "worker-a");
        w.add(Frames.TAKEN, 1, 0, null);
        w.add(Frames.RESULT, 1, 0, Payloads.value("done"));
        w.add(Frames.ERROR, 2, 1, new byte[] {8, 7});
        String results = Channels.resultQueue("run-1");
        ResultBatch.Batch b = ResultBatch.read(frames.open(frames.seal(Frames.RESULTS, results, w.finish()), Frames.RESULTS, results));
        assertThat(b.workerId()).isEqualTo("worker-a");
        assertThat(b.label()).isEqualTo("gpu");
        assertThat(b.records()).extracting(ResultBatch.Record::kind).containsExactly(Frames.TAKEN, Frames.RESULT, Frames.ERROR);
        assertThat(b.records()[2].payload()).containsExactly(8, 7);
        assertThat(b.records()[2].tryNumber()).isEqualTo(1);
    }

    @Test
    void cancelRequestsAndHeartbeatsAreFramesToo() throws IOException {
        byte[] c = frames.cancel("gpu", "run", 5, 1, true);
        assertThat(Frames.readCancel(frames.open(c, Frames.CANCEL, Channels.controlTopic("gpu"))))
                .isEqualTo(new Frames.Cancel("run", 5, 1, true));
        assertThat(new Frames("another-secret").open(c, Frames.CANCEL, Channels.controlTopic("gpu"))).isNull();
        Heartbeat h = new Heartbeat("w", "host", 12, 4, 8, 1, List.of("gpu", "cpu"), "uuid", 99, 3, false);
        byte[] hb = frames.heartbeat("gpu", h);
        assertThat(Heartbeat.readFrom(frames.open(hb, Frames.HEARTBEAT, Channels.heartbeatTopic("gpu")).in())).isEqualTo(h);
        assertThat(frames.open(hb, Frames.HEARTBEAT, Channels.heartbeatTopic("cpu"))).isNull();
    }

    @Test
    void valuesOfTheCommonTypesAndSerializableOnesReadBack() throws Exception {
        for (Object v : new Object[] {null, 1, 2L, 3.5, true, "text", List.of(1, 2)}) {
            assertThat(Payloads.readValue(Payloads.value(v), allowlist)).isEqualTo(v);
        }
        assertThat((byte[]) Payloads.readValue(Payloads.value(new byte[] {4, 5}), allowlist)).containsExactly(4, 5);
    }

    @Test
    void aNonInvocationBodyTravelsWhole() throws Exception {
        TaskCallable<String> hello = () -> "hello";
        TaskBatch.Writer w = new TaskBatch.Writer("run-1");
        w.add(1, 0, "hello", hello, new TaskBatch.SerializedFunctions());
        TaskBatch.Task t = TaskBatch.read(frames.open(frames.seal(Frames.TASKS, channel, w.finish()), Frames.TASKS, channel)).get(0);
        assertThat(t.body(new TaskBatch.LoadedFunctions(), allowlist).call()).isEqualTo("hello");
    }

    @Test
    void anErrorComesBackAsItselfWhenAllowed() throws IOException {
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable back = Payloads.readError(Payloads.error(boom), allowlist);
        assertThat(back).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(back.getStackTrace()).isEqualTo(boom.getStackTrace());
    }

    @Test
    void anErrorOfAClassOutsideTheAllowlistComesBackAsARemoteTaskException() throws IOException {
        Exception custom = new java.awt.AWTException("outside");
        Throwable back = Payloads.readError(Payloads.error(custom), allowlist);
        assertThat(back).isInstanceOf(RemoteTaskException.class).hasMessageContaining("outside");
        assertThat(((RemoteTaskException) back).remoteType()).isEqualTo("java.awt.AWTException");
        assertThat(Arrays.stream(back.getStackTrace()).map(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber()))
                .containsExactlyElementsOf(Arrays.stream(custom.getStackTrace())
                        .map(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber()).toList());
    }

    @Test
    void theClusterNameComesFromTheSecret() {
        assertThat(Channels.clusterName("parsl", "s1")).startsWith("parsl-").isNotEqualTo(Channels.clusterName("parsl", "s2"))
                .isEqualTo(Channels.clusterName("parsl", "s1"));
    }

    @Test
    void aReplayedNonceIsRecognised() {
        Nonces n = new Nonces(2);
        assertThat(n.firstTime(new byte[] {1})).isTrue();
        assertThat(n.firstTime(new byte[] {1})).isFalse();
        assertThat(n.firstTime(new byte[] {2})).isTrue();
    }
}
