package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HazelcastWorkerTest {

    @Test
    void settingsComeFromTheAgreedEnvironmentVariables() {
        HazelcastWorker w = HazelcastWorker.fromSettings(Map.of(
                "PARSL_HAZELCAST_MEMBERS", "127.0.0.1:5701, 127.0.0.1:5702",
                "PARSL_HAZELCAST_CLUSTER_NAME", "c",
                "PARSL_HAZELCAST_SECRET", "a-long-secret",
                "PARSL_WORKER_LABELS", "gpu,cpu",
                "PARSL_WORKER_SLOTS", "3",
                "PARSL_WORKER_ID", "w-1",
                "PARSL_WORKER_ACCELERATORS", "0,1",
                "PARSL_ALLOWED_PACKAGES", "com.example"));
        assertThat(w.workerId()).isEqualTo("w-1");
        assertThat(w.slots()).isEqualTo(2); // one slot per accelerator
    }

    @Test
    void aWorkerWithoutSecretOrLabelsIsRefusedNamingTheSettings() {
        assertThatThrownBy(() -> HazelcastWorker.fromSettings(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARSL_HAZELCAST_SECRET")
                .hasMessageContaining("PARSL_WORKER_LABELS");
    }

    @Test
    void durationsReadInSeveralSpellings() {
        assertThat(HazelcastWorker.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(HazelcastWorker.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(HazelcastWorker.duration("PT1S")).isEqualTo(Duration.ofSeconds(1));
        assertThat(HazelcastWorker.duration("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(HazelcastWorker.list(" a, ,b ")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void aHeartbeatReadsBack() {
        Heartbeat h = new Heartbeat("w", "host", 12, 4, 1, List.of("gpu", "cpu"), "uuid", 99);
        assertThat(Heartbeat.decode(h.encode())).isEqualTo(h);
    }

    @Test
    void workerContextIsEmptyOutsideATaskAndFindsServicesByType() {
        assertThat(WorkerContext.current()).isEmpty();
        WorkerContext c = new WorkerContext("w", 1, "gpu1", Map.of(StringBuilder.class, new StringBuilder("x")));
        assertThat(c.service(CharSequence.class)).map(Object::toString).contains("x");
        assertThat(c.service(Integer.class)).isEmpty();
        assertThat(c.accelerator()).contains("gpu1");
    }
}
