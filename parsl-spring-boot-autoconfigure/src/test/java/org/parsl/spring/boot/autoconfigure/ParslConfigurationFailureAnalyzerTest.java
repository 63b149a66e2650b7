package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

@ExtendWith(OutputCaptureExtension.class)
class ParslConfigurationFailureAnalyzerTest {

    @TempDir
    static Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("parsl.run-dir=" + runDir);

    @Test
    void unknownExecutorTypeNamesThePropertyAndTheTypes() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=gpu-pool");
        assertThat(analysis.getDescription()).contains("parsl.executors.gpu.type is 'gpu-pool'")
                .contains("which is not one of [thread-pool, hazelcast]");
        assertThat(analysis.getAction()).contains("Set parsl.executors.gpu.type to one of [thread-pool, hazelcast]");
    }

    @Test
    void unknownProviderTypeNamesThePropertyAndTheTypes() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=hazelcast", "parsl.executors.gpu.provider.type=slurm");
        assertThat(analysis.getDescription()).contains("parsl.executors.gpu.provider.type is 'slurm'");
        assertThat(analysis.getAction()).contains("[local, external]");
    }

    @Test
    void unknownStrategyNamesThePropertyAndTheStrategies() {
        FailureAnalysis analysis = analyze("parsl.strategy=fast");
        assertThat(analysis.getDescription()).contains("parsl.strategy is 'fast'").contains("[simple, none]");
    }

    @Test
    void aValueOfTheWrongTypeNamesThePropertyAndTheType() {
        FailureAnalysis analysis = analyze("parsl.executors.cpu.max-threads=many");
        assertThat(analysis.getDescription()).contains("parsl.executors.cpu.max-threads is 'many'").contains("cannot be read as int");
    }

    @Test
    void anUnknownExecutorSettingNamesTheKeyAndTheNearestValidOne() {
        FailureAnalysis analysis = analyze("parsl.executors.cpu.max-thread=8");
        assertThat(analysis.getDescription()).contains("parsl.executors.cpu.max-thread")
                .contains("is not a Parsl setting; did you mean parsl.executors.cpu.max-threads?");
        assertThat(analysis.getAction()).contains("Rename parsl.executors.cpu.max-thread to parsl.executors.cpu.max-threads");
    }

    @Test
    void anUnknownTopLevelSettingNamesTheKeyAndTheNearestValidOne() {
        FailureAnalysis analysis = analyze("parsl.retrys=3");
        assertThat(analysis.getDescription()).contains("parsl.retrys").contains("did you mean parsl.retries?");
    }

    @Test
    void anUnknownProviderSettingNamesTheKeyAndTheNearestValidOne() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=hazelcast", "parsl.executors.gpu.provider.max-block=2");
        assertThat(analysis.getDescription()).contains("did you mean parsl.executors.gpu.provider.max-blocks?");
    }

    @Test
    void invalidLabelNamesTheLabelAndTheRule() {
        FailureAnalysis analysis = analyze("parsl.executors.9lives.max-threads=1");
        assertThat(analysis.getDescription()).contains("executor label '9lives' (parsl.executors.9lives) is not a valid name")
                .contains("start with a letter");
        assertThat(analysis.getAction()).contains("parsl.executors.9lives");
    }

    @Test
    void negativeMaxThreadsNamesThePropertyAndTheMinimum() {
        FailureAnalysis analysis = analyze("parsl.executors.cpu.max-threads=-2");
        assertThat(analysis.getDescription()).contains("parsl.executors.cpu.max-threads is -2: it must be at least 1");
        assertThat(analysis.getAction()).contains("Change parsl.executors.cpu.max-threads");
    }

    @Test
    void negativeBlocksNameTheProperty() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=hazelcast", "parsl.executors.gpu.provider.init-blocks=-1");
        assertThat(analysis.getDescription()).contains("parsl.executors.gpu.provider.init-blocks is -1: it must be 0 or more");
        assertThat(analysis.getAction()).contains("Change parsl.executors.gpu.provider.init-blocks");
    }

    @Test
    void zeroMaxBlocksNamesTheProperty() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=hazelcast", "parsl.executors.gpu.provider.max-blocks=0",
                "parsl.executors.gpu.provider.init-blocks=0");
        assertThat(analysis.getDescription()).contains("parsl.executors.gpu.provider.max-blocks is 0: it must be at least 1");
    }

    @Test
    void negativeRetriesNameTheProperty() {
        FailureAnalysis analysis = analyze("parsl.retries=-1");
        assertThat(analysis.getDescription()).contains("parsl.retries is -1: it must be 0 (no retries) or more");
        assertThat(analysis.getAction()).contains("Change parsl.retries");
    }

    @Test
    void minBlocksAboveMaxBlocksNamesBothProperties() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=hazelcast",
                "parsl.executors.gpu.provider.min-blocks=3", "parsl.executors.gpu.provider.max-blocks=2");
        assertThat(analysis.getDescription()).contains(
                "parsl.executors.gpu.provider.min-blocks (3) is greater than parsl.executors.gpu.provider.max-blocks (2)");
        assertThat(analysis.getAction()).contains("parsl.executors.gpu.provider.min-blocks").contains("parsl.executors.gpu.provider.max-blocks");
    }

    @Test
    void aHeartbeatThresholdBelowTwicePeriodNamesBothProperties() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=hazelcast", "parsl.executors.gpu.provider.type=external",
                "parsl.executors.gpu.heartbeat-period=2s", "parsl.executors.gpu.heartbeat-threshold=3s");
        assertThat(analysis.getDescription()).contains(
                "parsl.executors.gpu.heartbeat-threshold is PT3S: it must be at least twice parsl.executors.gpu.heartbeat-period (PT2S)");
    }

    @Test
    void aShortSecretNamesTheProperty() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=hazelcast", "parsl.executors.gpu.provider.type=external",
                "parsl.hazelcast.secret=abc");
        assertThat(analysis.getDescription()).contains("parsl.hazelcast.secret is shorter than 8 characters");
        assertThat(analysis.getDescription()).doesNotContain("abc");
    }

    @Test
    void severalMistakesOfOneExecutorAreReportedTogether() {
        FailureAnalysis analysis = analyze("parsl.executors.gpu.type=hazelcast", "parsl.executors.gpu.provider.init-blocks=-1",
                "parsl.executors.gpu.provider.parallelism=2");
        assertThat(analysis.getDescription()).contains("parsl.executors.gpu.provider.init-blocks is -1")
                .contains("parsl.executors.gpu.provider.parallelism is 2.0");
    }

    @Test
    void asyncNamingAnUnknownExecutorFailsAtStartup() {
        FailureAnalysis analysis = new ParslConfigurationFailureAnalyzer().analyze(startupFailure(TypoService.Config.class));
        assertThat(analysis.getDescription()).contains("@Async(\"gpux\") on " + TypoService.class.getName() + ".work() names an executor that does not exist")
                .contains("configured Parsl executors: [cpu]");
        assertThat(analysis.getAction()).contains("parsl.executors.gpux.type=thread-pool");
    }

    @Test
    void aBadValueInARealApplicationEndsInAFailureAnalysisNotAStackTrace(CapturedOutput output) {
        SpringApplication app = new SpringApplication(Empty.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--parsl.run-dir=" + runDir, "--parsl.executors.gpu.type=hazelcast",
                "--parsl.executors.gpu.provider.max-blocks=0", "--parsl.executors.gpu.provider.init-blocks=0"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("parsl.executors.gpu.provider.max-blocks is 0: it must be at least 1")
                .doesNotContain("\tat org.");
    }

    @Test
    void aTypoInARealApplicationEndsInAFailureAnalysis(CapturedOutput output) {
        SpringApplication app = new SpringApplication(Empty.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--parsl.run-dir=" + runDir, "--parsl.executors.cpu.max-thread=8"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("did you mean parsl.executors.cpu.max-threads?").doesNotContain("\tat org.");
    }

    @Test
    void theReportOfARealApplicationShowsDescriptionAndAction(CapturedOutput output) {
        SpringApplication app = new SpringApplication(Empty.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--parsl.run-dir=" + runDir, "--parsl.executors.gpu.type=hazelcast",
                "--parsl.executors.gpu.provider.min-blocks=2", "--parsl.executors.gpu.provider.max-blocks=1"))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("parsl.executors.gpu.provider.min-blocks (2) is greater than parsl.executors.gpu.provider.max-blocks (1)")
                .contains("Action:");
    }

    private FailureAnalysis analyze(String... properties) {
        Throwable[] failure = new Throwable[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            failure[0] = context.getStartupFailure();
        });
        FailureAnalysis analysis = new ParslConfigurationFailureAnalyzer().analyze(failure[0]);
        assertThat(analysis).as("analysis of %s", failure[0]).isNotNull();
        return analysis;
    }

    private Throwable startupFailure(Class<?> configuration) {
        Throwable[] failure = new Throwable[1];
        runner.withPropertyValues("parsl.executors.cpu.max-threads=1").withUserConfiguration(configuration)
                .run(context -> failure[0] = context.getStartupFailure());
        return failure[0];
    }

    static class TypoService {
        @Async("gpux")
        public CompletableFuture<String> work() {
            return CompletableFuture.completedFuture("never");
        }

        @Configuration(proxyBeanMethods = false)
        @EnableAsync
        static class Config {
            @Bean
            TypoService typoService() {
                return new TypoService();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ParslAutoConfiguration.class)
    static class Empty {
    }
}
