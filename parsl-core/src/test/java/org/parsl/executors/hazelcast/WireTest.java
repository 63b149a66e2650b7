package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class WireTest {

    private final Wire wire = new Wire("the-right-secret");
    private final Allowlist allowlist = new Allowlist(java.util.List.of(), getClass().getClassLoader());

    @Test
    void aTaskSignedWithTheSameSecretReadsBack() throws IOException {
        byte[] item = wire.task("run-1", 7, 2, "f", new byte[] {1, 2, 3});
        Wire.TaskFrame t = wire.readTask(item);
        assertThat(t.signed()).isTrue();
        assertThat(t.runId()).isEqualTo("run-1");
        assertThat(t.taskId()).isEqualTo(7);
        assertThat(t.tryNumber()).isEqualTo(2);
        assertThat(t.body()).containsExactly(1, 2, 3);
        assertThat(t.key()).isEqualTo("run-1/7/2");
    }

    @Test
    void aTaskSignedWithAnotherSecretIsNotSignedAndItsBodyIsNotRead() throws IOException {
        byte[] item = new Wire("another-secret").task("run-1", 7, 0, "f", new byte[] {1, 2, 3});
        Wire.TaskFrame t = wire.readTask(item);
        assertThat(t.signed()).isFalse();
        assertThat(t.body()).isNull();
        assertThat(t.taskId()).isEqualTo(7);
    }

    @Test
    void aTamperedTaskFailsItsSignature() throws IOException {
        byte[] item = wire.task("run-1", 7, 0, "f", new byte[] {1, 2, 3});
        item[item.length - Wire.MAC_LENGTH - 1] ^= 1;
        assertThat(wire.readTask(item).signed()).isFalse();
    }

    @Test
    void aResultFrameCarriesItsRecordsInOrder() throws IOException {
        Wire.FrameBuilder f = new Wire.FrameBuilder("worker-a", true);
        f.add(Wire.TAKEN, 1, 0, null);
        f.add(Wire.RESULT, 1, 0, new byte[] {9});
        f.add(Wire.ERROR, 2, 1, new byte[] {8, 7});
        Wire.ResultFrame frame = wire.readResults(wire.finish(f));
        assertThat(frame.workerId()).isEqualTo("worker-a");
        assertThat(frame.records()).extracting(Wire.Record::kind).containsExactly(Wire.TAKEN, Wire.RESULT, Wire.ERROR);
        assertThat(frame.records()[2].payload()).containsExactly(8, 7);
        assertThat(frame.records()[2].tryNumber()).isEqualTo(1);
    }

    @Test
    void aResultFrameFromAnotherSecretIsRefused() {
        Wire.FrameBuilder f = new Wire.FrameBuilder("worker-a", true);
        f.add(Wire.RESULT, 1, 0, new byte[] {9});
        byte[] forged = new Wire("another-secret").finish(f);
        assertThatThrownBy(() -> wire.readResults(forged)).isInstanceOf(IOException.class).hasMessageContaining("signature");
    }

    @Test
    void anUnsignedFrameMayOnlyCarryRejections() throws IOException {
        Wire.FrameBuilder ok = new Wire.FrameBuilder("w", false);
        ok.add(Wire.REJECTED, 3, 0, "bad signature".getBytes());
        assertThat(wire.readResults(wire.finish(ok)).records()).hasSize(1);

        Wire.FrameBuilder forged = new Wire.FrameBuilder("w", false);
        forged.add(Wire.RESULT, 3, 0, new byte[] {1});
        assertThatThrownBy(() -> wire.readResults(wire.finish(forged))).isInstanceOf(IOException.class);
    }

    @Test
    void cancelRequestsAreSignedToo() {
        byte[] c = wire.cancel("run", 5, 1, true);
        assertThat(wire.readCancel(c)).isEqualTo(new Wire.Cancel("run/5/1", true));
        assertThat(new Wire("another-secret").readCancel(c)).isNull();
    }

    @Test
    void anErrorComesBackAsItselfWhenAllowed() throws IOException {
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable back = Wire.readError(Wire.error(boom), allowlist);
        assertThat(back).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(back.getStackTrace()).isEqualTo(boom.getStackTrace());
    }

    @Test
    void anErrorOfAClassOutsideTheAllowlistComesBackAsARemoteTaskException() throws IOException {
        Exception custom = new java.awt.AWTException("outside");
        Throwable back = Wire.readError(Wire.error(custom), allowlist);
        assertThat(back).isInstanceOf(RemoteTaskException.class).hasMessageContaining("outside");
        assertThat(((RemoteTaskException) back).remoteType()).isEqualTo("java.awt.AWTException");
        assertThat(Arrays.stream(back.getStackTrace()).map(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber()))
                .containsExactlyElementsOf(Arrays.stream(custom.getStackTrace()).map(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber()).toList());
    }
}
