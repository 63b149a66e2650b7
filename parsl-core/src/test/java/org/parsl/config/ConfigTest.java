package org.parsl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.parsl.executors.ThreadPoolExecutor;

class ConfigTest {

    @Test
    void buildsWithDefaults() {
        Config config = Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).build();
        assertThat(config.executors()).extracting(e -> e.label()).containsExactly("cpu");
        assertThat(config.retries()).isZero();
        assertThat(config.retryHandler()).isSameAs(RetryHandler.DEFAULT);
        assertThat(config.runDir()).isEqualTo(Path.of("runinfo"));
        assertThat(config.strategy()).isEqualTo("simple");
    }

    @Test
    void configIsImmutable() {
        Config config = Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).build();
        assertThatThrownBy(() -> config.executors().add(new ThreadPoolExecutor("io", 1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void noExecutorsIsRejectedSayingWhatToAdd() {
        assertThatThrownBy(() -> Config.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no executors")
                .hasMessageContaining("executor(new ThreadPoolExecutor");
    }

    @Test
    void duplicateLabelsAreRejectedNamingTheLabel() {
        assertThatThrownBy(() -> Config.builder()
                .executors(List.of(new ThreadPoolExecutor("cpu", 1), new ThreadPoolExecutor("cpu", 2))).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cpu' is used twice");
    }

    @Test
    void blankLabelIsRejected() {
        assertThatThrownBy(() -> new ThreadPoolExecutor(" ", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        ParslExecutorWithLabel blank = new ParslExecutorWithLabel("");
        assertThatThrownBy(() -> Config.builder().executor(blank).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank label");
    }

    @Test
    void invalidLabelIsRejected() {
        assertThatThrownBy(() -> Config.builder().executor(new ThreadPoolExecutor("9 lives", 1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'9 lives' is not a valid name");
    }

    @Test
    void negativeRetriesAreRejected() {
        assertThatThrownBy(() -> Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).retries(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retries is -1");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> Config.builder().retries(-2).strategy("fast").build())
                .hasMessageContaining("no executors")
                .hasMessageContaining("retries is -2")
                .hasMessageContaining("strategy 'fast'");
    }

    @Test
    void zeroThreadsAreRejected() {
        assertThatThrownBy(() -> new ThreadPoolExecutor("cpu", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-threads of executor 'cpu' is 0");
    }

    @Test
    void toBuilderCopiesSettings() {
        Config config = Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).retries(3).build();
        Config copy = config.toBuilder().runDir(Path.of("other")).build();
        assertThat(copy.retries()).isEqualTo(3);
        assertThat(copy.runDir()).isEqualTo(Path.of("other"));
        assertThat(copy.executors()).isEqualTo(config.executors());
    }

    private record ParslExecutorWithLabel(String label) implements org.parsl.executors.ParslExecutor {
        @Override
        public org.parsl.executors.RunningExecutor start(org.parsl.executors.ExecutorContext context) {
            throw new UnsupportedOperationException("never started in this test");
        }
    }
}
