package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.parsl.providers.ExternalProvider;

class HazelcastExecutorTest {

    @Test
    void badSettingsAreReportedTogetherNamingEachSetting() {
        assertThatThrownBy(() -> HazelcastExecutor.builder("gpu").maxWorkersPerNode(0).prefetchCapacity(-1)
                .heartbeatPeriod(Duration.ofSeconds(5)).heartbeatThreshold(Duration.ofSeconds(6)).secret("short").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxWorkersPerNode is 0")
                .hasMessageContaining("prefetchCapacity is -1")
                .hasMessageContaining("heartbeatThreshold")
                .hasMessageContaining("secret");
    }

    @Test
    void acceleratorsPinOneSlotEach() {
        HazelcastExecutor e = HazelcastExecutor.builder("gpu").maxWorkersPerNode(8).availableAccelerators(List.of("0", "1"))
                .provider(new ExternalProvider()).build();
        assertThat(e.slotsPerWorker()).isEqualTo(2);
        assertThat(e.label()).isEqualTo("gpu");
        assertThat(e.secret()).isEmpty();
    }
}
