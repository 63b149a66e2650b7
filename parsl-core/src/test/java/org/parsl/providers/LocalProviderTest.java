package org.parsl.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class LocalProviderTest {

    @Test
    void defaultsAreParsls() {
        LocalProvider p = LocalProvider.builder().build();
        assertThat(p.initBlocks()).isEqualTo(1);
        assertThat(p.minBlocks()).isZero();
        assertThat(p.maxBlocks()).isEqualTo(1);
        assertThat(p.parallelism()).isEqualTo(1.0);
        assertThat(p.launchesWorkers()).isTrue();
    }

    @Test
    void theDefaultCommandRunsThisJvmsJavaWithItsClassPathAndTheWorkerMain() {
        List<String> command = LocalProvider.builder().jvmOptions(List.of("-Xmx256m")).build().command();
        assertThat(command.get(0)).endsWith("java");
        assertThat(command).contains("-Xmx256m", "-cp", System.getProperty("java.class.path"));
        assertThat(command.get(command.size() - 1)).isEqualTo("org.parsl.executors.hazelcast.HazelcastWorker");
        assertThat(command.indexOf("-Xmx256m")).isLessThan(command.indexOf("-cp"));
    }

    @Test
    void aLaunchCommandReplacesTheWholeCommand() {
        List<String> custom = List.of("java", "-jar", "app.jar", "--parsl.worker.enabled=true");
        assertThat(LocalProvider.builder().launchCommand(custom).build().command()).isEqualTo(custom);
    }

    @Test
    void badBlockCountsAreReportedNamingTheSettings() {
        assertThatThrownBy(() -> LocalProvider.builder().minBlocks(3).maxBlocks(2).initBlocks(-1).parallelism(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minBlocks (3) is greater than maxBlocks (2)")
                .hasMessageContaining("initBlocks is -1")
                .hasMessageContaining("parallelism is 0.0");
    }

    @Test
    void externalWorkersAreNotLaunched() {
        ExternalProvider p = new ExternalProvider();
        assertThat(p.launchesWorkers()).isFalse();
        assertThatThrownBy(() -> p.startBlock(null)).isInstanceOf(UnsupportedOperationException.class);
    }
}
