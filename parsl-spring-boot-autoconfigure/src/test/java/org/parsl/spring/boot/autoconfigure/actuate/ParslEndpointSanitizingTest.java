package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ExecutorContext;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.ExecutorTask;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.RunningExecutor;
import org.parsl.executors.TaskHandle;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import tools.jackson.databind.json.JsonMapper;

/** The endpoint never shows a credential: JVM options' values, credential-like settings, the application's sanitizers. */
class ParslEndpointSanitizingTest {

    @TempDir
    Path runDir;

    private static final Map<String, Object> SETTINGS = Map.of(
            "provider", "LocalProvider[launchCommand=[java, -Xmx256m, -Dapp.db.password=hunter2, -Dapp.name=demo, -jar, app.jar]]",
            "jvm-options", List.of("-Xmx256m", "-Dapp.token=t0k3n"),
            "secret", "s3cr3t-value",
            "region", "eu-west");

    @Test
    void jvmOptionValuesAndCredentialLikeSettingsAreMasked() {
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new SettingsExecutor("gpu", SETTINGS)).runDir(runDir).build())) {
            Map<String, Object> settings = new ParslEndpoint(dfk, null).parsl().executors().get("gpu").settings();
            String json = JsonMapper.builder().build().writeValueAsString(settings);
            assertThat(json).doesNotContain("hunter2").doesNotContain("t0k3n").doesNotContain("s3cr3t-value").doesNotContain("demo");
            assertThat((String) settings.get("provider")).contains("-Dapp.db.password=******").contains("-Xmx256m");
            assertThat(settings.get("secret")).isEqualTo("******");
            assertThat(settings.get("region")).isEqualTo("eu-west");
        }
    }

    @Test
    void theApplicationsSanitizingFunctionsApplyToo() {
        SanitizingFunction region = data -> data.getKey().equals("region") ? data.withSanitizedValue() : data;
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new SettingsExecutor("gpu", SETTINGS)).runDir(runDir).build())) {
            Map<String, Object> settings = new ParslEndpoint(dfk, null, List.of(region)).parsl().executors().get("gpu").settings();
            assertThat(settings.get("region")).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }
    }

    /** An executor that only reports the given settings. */
    record SettingsExecutor(String label, Map<String, Object> settings) implements ParslExecutor {
        @Override
        public RunningExecutor start(ExecutorContext context) {
            return new RunningExecutor() {
                @Override
                public String label() {
                    return label;
                }

                @Override
                public TaskHandle submit(ExecutorTask task) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public ExecutorStatus status() {
                    return new ExecutorStatus(label, "settings", true, null, 0, 0, 0, 0, 0, List.of(), settings);
                }

                @Override
                public void shutdown() {
                }
            };
        }
    }
}
