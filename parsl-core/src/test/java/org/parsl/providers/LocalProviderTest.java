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

    private static final WorkerCommand WORKER = new WorkerCommand(List.of("-Dexecutor.option=1"), "a.jar:b.jar", "com.example.Worker",
            List.of("--x=1"));

    @Test
    void theCommandRunsThisJvmsJavaWithTheWorkerCommandAndTheProvidersOptions() {
        List<String> command = LocalProvider.builder().jvmOptions(List.of("-Xmx256m")).build().command(WORKER);
        assertThat(command.get(0)).endsWith("java");
        assertThat(command.subList(1, command.size()))
                .containsExactly("-Dexecutor.option=1", "-Xmx256m", "-cp", "a.jar:b.jar", "com.example.Worker", "--x=1");
    }

    @Test
    void aLaunchCommandReplacesTheWholeCommand() {
        List<String> custom = List.of("java", "-jar", "app.jar", "--parsl.worker.enabled=true");
        assertThat(LocalProvider.builder().launchCommand(custom).build().command(WORKER)).isEqualTo(custom);
    }

    @Test
    void aBlockRunsWithTheRequestedEnvironmentAndWritesToItsLogFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path log = dir.resolve("b-0.log");
        LocalProvider p = LocalProvider.builder().launchCommand(List.of("sh", "-c", "echo \"$GREETING\"")).build();
        Block b = p.startBlock(new BlockRequest("b-0", WORKER, java.util.Map.of("GREETING", "hello from the block"), log));
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !b.isAlive());
            assertThat(java.nio.file.Files.readString(log)).contains("hello from the block");
        } finally {
            b.stop();
        }
    }

    @Test
    void aRequestHidesSecretValuesWhenPrinted() {
        BlockRequest r = new BlockRequest("b", WORKER, java.util.Map.of("PARSL_HAZELCAST_SECRET", "s3cr3t", "PARSL_WORKER_SLOTS", "2"),
                java.nio.file.Path.of("b.log"));
        assertThat(r.toString()).doesNotContain("s3cr3t").contains("PARSL_WORKER_SLOTS=2");
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
