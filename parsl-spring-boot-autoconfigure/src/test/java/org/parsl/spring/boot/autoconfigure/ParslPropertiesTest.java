package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class ParslPropertiesTest {

    @Test
    void theEnvironmentVariablesALocalProviderSetsBindToTheWorkerSettings() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "PARSL_WORKER_ENABLED", "true",
                "PARSL_HAZELCAST_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702",
                "PARSL_HAZELCAST_CLUSTER_NAME", "run-42",
                "PARSL_HAZELCAST_SECRET", "s3cret",
                "PARSL_WORKER_LABELS", "gpu,io",
                "PARSL_WORKER_SLOTS", "3",
                "PARSL_WORKER_ID", "block-0-node-0",
                "PARSL_WORKER_ACCELERATORS", "0,1",
                "PARSL_ALLOWED_PACKAGES", "com.example.app,com.example.model")));
        ParslProperties p = Binder.get(environment).bind("parsl", ParslProperties.class).get();
        assertThat(p.getWorker().isEnabled()).isTrue();
        assertThat(p.getHazelcast().getMembers()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
        assertThat(p.getHazelcast().getClusterName()).isEqualTo("run-42");
        assertThat(p.getHazelcast().getSecret()).isEqualTo("s3cret");
        assertThat(p.getWorker().getLabels()).containsExactly("gpu", "io");
        assertThat(p.getWorker().getSlots()).isEqualTo(3);
        assertThat(p.getWorker().getId()).isEqualTo("block-0-node-0");
        assertThat(p.getWorker().getAccelerators()).containsExactly("0", "1");
        assertThat(p.getAllowedPackages()).containsExactly("com.example.app", "com.example.model");
    }

    @Test
    void theYamlNamesOfTheDesignBind() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("yaml", Map.of(
                "parsl.executors.gpu.type", "hazelcast",
                "parsl.executors.gpu.max-workers-per-node", "2",
                "parsl.executors.gpu.available-accelerators[0]", "0",
                "parsl.executors.gpu.heartbeat-threshold", "10s",
                "parsl.executors.gpu.provider.type", "local",
                "parsl.executors.gpu.provider.max-blocks", "2",
                "parsl.executors.gpu.provider.jvm-options[0]", "-Xmx512m",
                "parsl.hazelcast.interface", "127.0.0.1",
                "parsl.shutdown-timeout", "30s")));
        ParslProperties p = Binder.get(environment).bind("parsl", ParslProperties.class).get();
        ParslProperties.Executor gpu = p.getExecutors().get("gpu");
        assertThat(gpu.getType()).isEqualTo(ParslProperties.ExecutorType.HAZELCAST);
        assertThat(gpu.getProvider().getType()).isEqualTo(ParslProperties.ProviderType.LOCAL);
        assertThat(gpu.getMaxWorkersPerNode()).isEqualTo(2);
        assertThat(gpu.getAvailableAccelerators()).containsExactly("0");
        assertThat(gpu.getHeartbeatThreshold()).hasSeconds(10);
        assertThat(gpu.getProvider().getMaxBlocks()).isEqualTo(2);
        assertThat(gpu.getProvider().getJvmOptions()).containsExactly("-Xmx512m");
        assertThat(p.getHazelcast().getInterface()).isEqualTo("127.0.0.1");
        assertThat(p.getShutdownTimeout()).hasSeconds(30);
    }
}
