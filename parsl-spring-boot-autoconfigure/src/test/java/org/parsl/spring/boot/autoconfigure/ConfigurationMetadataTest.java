package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConfigurationMetadataTest {

    @Test
    void everyParslPropertyHasADescriptionIncludingThoseOfEachExecutor() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asString();
            names.add(name);
            if (name.startsWith("management.endpoint.parsl.")) {
                continue; // written by the configuration processor for the parsl actuator endpoint
            }
            assertThat(name).startsWith("parsl.");
            assertThat(property.path("description").asString()).as("description of %s", name).isNotBlank();
        }
        assertThat(names).contains("parsl.retries", "parsl.run-dir", "parsl.shutdown-timeout", "parsl.executors",
                "parsl.executors.*.type", "parsl.executors.*.max-threads", "parsl.executors.*.max-workers-per-node",
                "parsl.executors.*.available-accelerators", "parsl.executors.*.prefetch-capacity",
                "parsl.executors.*.heartbeat-period", "parsl.executors.*.heartbeat-threshold",
                "parsl.executors.*.provider.type", "parsl.executors.*.provider.init-blocks",
                "parsl.executors.*.provider.min-blocks", "parsl.executors.*.provider.max-blocks",
                "parsl.executors.*.provider.parallelism", "parsl.executors.*.provider.jvm-options",
                "parsl.hazelcast.cluster-name", "parsl.hazelcast.interface", "parsl.hazelcast.port",
                "parsl.hazelcast.members", "parsl.hazelcast.secret",
                "parsl.worker.enabled", "parsl.worker.labels", "parsl.worker.slots",
                "parsl.monitoring.enabled", "parsl.monitoring.capacity", "parsl.monitoring.recent-failures",
                "parsl.monitoring.json-lines", "management.endpoint.parsl.access");
    }
}
