package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("PARSL_HAZELCAST_MEMBERS", "127.0.0.1:5701, 127.0.0.1:5702");
        env.put("PARSL_HAZELCAST_CLUSTER_NAME", "c");
        env.put("PARSL_HAZELCAST_SECRET", "a-long-secret");
        env.put("PARSL_WORKER_LABELS", "gpu,cpu");
        env.put("PARSL_WORKER_SLOTS", "3");
        env.put("PARSL_WORKER_PREFETCH_CAPACITY", "16");
        env.put("PARSL_WORKER_HEARTBEAT_PERIOD", "500ms");
        env.put("PARSL_WORKER_ID", "w-1");
        env.put("PARSL_WORKER_ACCELERATORS", "0,1");
        env.put("PARSL_ALLOWED_PACKAGES", "com.example");
        env.put("PARSL_PARENT_PID", "4242");
        env.put("HOME", "/not/ours");
        return env;
    }

    @Test
    void settingsComeFromTheEnvironmentVariables() {
        WorkerSettings s = WorkerSettings.fromEnvironment(environment());
        assertThat(s.members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
        assertThat(s.clusterName()).isEqualTo("c");
        assertThat(s.labels()).containsExactly("gpu", "cpu");
        assertThat(s.slots()).isEqualTo(3);
        assertThat(s.effectiveSlots()).isEqualTo(2); // one slot per accelerator
        assertThat(s.prefetchCapacity()).isEqualTo(16);
        assertThat(s.heartbeatPeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.workerId()).contains("w-1");
        assertThat(s.accelerators()).containsExactly("0", "1");
        assertThat(s.allowedPackages()).containsExactly("com.example");
        assertThat(s.parentPid()).isEqualTo(4242);
    }

    @Test
    void environmentToSettingsToEnvironmentIsTheSame() {
        WorkerSettings s = WorkerSettings.fromEnvironment(environment());
        Map<String, String> env = s.toEnvironment();
        assertThat(WorkerSettings.fromEnvironment(env)).isEqualTo(s);
        assertThat(env).containsEntry("PARSL_WORKER_ENABLED", "true").containsEntry("PARSL_HAZELCAST_SECRET", "a-long-secret")
                .doesNotContainKey("HOME");
    }

    @Test
    void optionsOverrideTheEnvironmentAndNeverCarryTheSecret() {
        WorkerSettings s = WorkerSettings.parse(new String[] {"--slots=5", "--labels=x"}, environment());
        assertThat(s.slots()).isEqualTo(5);
        assertThat(s.labels()).containsExactly("x");
        assertThat(s.toOptions()).contains("--slots=5", "--labels=x").noneMatch(o -> o.contains("a-long-secret"));
        assertThat(s.toString()).doesNotContain("a-long-secret");
        Map<String, String> secretOnly = Map.of("PARSL_HAZELCAST_SECRET", "a-long-secret");
        assertThat(WorkerSettings.parse(s.toOptions().toArray(String[]::new), secretOnly)).isEqualTo(s);
    }

    @Test
    void badValuesAreRefusedNamingTheVariable() {
        Map<String, String> env = environment();
        env.put("PARSL_WORKER_SLOTS", "many");
        env.put("PARSL_WORKER_HEARTBEAT_PERIOD", "soon");
        env.put("PARSL_WORKER_PREFETCH_CAPACITY", "-1");
        assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARSL_WORKER_SLOTS is 'many'")
                .hasMessageContaining("PARSL_WORKER_HEARTBEAT_PERIOD is 'soon'");
        env.put("PARSL_WORKER_SLOTS", "2");
        env.put("PARSL_WORKER_HEARTBEAT_PERIOD", "1s");
        assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env)).hasMessageContaining("PARSL_WORKER_PREFETCH_CAPACITY is -1");
        env.put("PARSL_WORKER_PREFETCH_CAPACITY", "0");
        env.put("PARSL_HAZELCAST_MEMBERS", "host:port");
        assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env)).hasMessageContaining("PARSL_HAZELCAST_MEMBERS has 'host:port'");
    }

    @Test
    void aWorkerWithoutSecretOrLabelsIsRefusedNamingTheSettings() {
        assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARSL_HAZELCAST_SECRET")
                .hasMessageContaining("PARSL_WORKER_LABELS");
    }

    @Test
    void anUnknownOptionOrASecretOnTheCommandLineIsRefused() {
        assertThatThrownBy(() -> WorkerSettings.parse(new String[] {"--slot=2"}, environment()))
                .hasMessageContaining("unknown argument '--slot=2'");
        assertThatThrownBy(() -> WorkerSettings.parse(new String[] {"--secret=x"}, environment()))
                .hasMessageContaining("never from the command line");
    }

    @Test
    void durationsReadInSeveralSpellings() {
        assertThat(WorkerSettings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(WorkerSettings.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(WorkerSettings.parseDuration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(WorkerSettings.parseDuration("PT1S")).isEqualTo(Duration.ofSeconds(1));
        assertThat(WorkerSettings.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void workerContextIsEmptyOutsideATaskAndFindsServicesByType() {
        assertThat(WorkerContext.current()).isEmpty();
        WorkerContext c = new WorkerContext("w", 1, "gpu1", Map.of(StringBuilder.class, new StringBuilder("x")));
        assertThat(c.service(CharSequence.class)).map(Object::toString).contains("x");
        assertThat(c.service(Integer.class)).isEmpty();
        assertThat(c.accelerator()).contains("gpu1");
        assertThat(List.of(c.slot())).containsExactly(1);
    }
}
