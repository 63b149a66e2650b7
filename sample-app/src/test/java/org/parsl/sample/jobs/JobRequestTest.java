package org.parsl.sample.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parsl.sample.SampleProperties;

class JobRequestTest {

    private final SampleProperties.Limits limits = new SampleProperties.Limits(1_000_000, 100, 4);

    @Test
    void missingFieldsTakeTheirDefaults() {
        JobRequest.JobSpec spec = new JobRequest(null, null, null).validate(new SampleProperties.Limits(10_000_000, 100, 4));
        assertThat(spec.samples()).isEqualTo(2_000_000);
        assertThat(spec.chunks()).isEqualTo(16);
        assertThat(spec.seed()).isEqualTo(42);
    }

    @Test
    void samplesAreSpreadEvenlyOverChunks() {
        JobRequest.JobSpec spec = new JobRequest(10L, 4, 1L).validate(limits);
        assertThat(spec.samplesOf(0) + spec.samplesOf(1) + spec.samplesOf(2) + spec.samplesOf(3)).isEqualTo(10);
        assertThat(spec.samplesOf(0)).isEqualTo(3);
        assertThat(spec.samplesOf(3)).isEqualTo(2);
    }

    @Test
    void rejectsNegativeSamplesNamingTheField() {
        assertThatThrownBy(() -> new JobRequest(-5L, 4, null).validate(limits))
                .isInstanceOf(InvalidJobRequestException.class).hasMessage("samples must be positive, got -5")
                .extracting("field").isEqualTo("samples");
    }

    @Test
    void rejectsZeroChunks() {
        assertThatThrownBy(() -> new JobRequest(100L, 0, null).validate(limits))
                .isInstanceOf(InvalidJobRequestException.class).hasMessage("chunks must be positive, got 0");
    }

    @Test
    void rejectsTooManySamplesNamingTheLimitAndItsProperty() {
        assertThatThrownBy(() -> new JobRequest(2_000_000L, 4, null).validate(limits))
                .isInstanceOf(JobTooLargeException.class)
                .hasMessage("samples must be at most 1000000 (sample.limits.max-samples), got 2000000");
    }

    @Test
    void rejectsTooManyChunksAsTooLargeNamingTheLimitAndItsProperty() {
        assertThatThrownBy(() -> new JobRequest(1000L, 101, null).validate(limits))
                .isInstanceOf(JobTooLargeException.class)
                .hasMessage("chunks must be at most 100 (sample.limits.max-chunks), got 101")
                .satisfies(e -> {
                    assertThat(((JobTooLargeException) e).limit()).isEqualTo(100);
                    assertThat(((JobTooLargeException) e).property()).isEqualTo("sample.limits.max-chunks");
                });
    }

    @Test
    void limitsBelowOneAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new SampleProperties.Limits(1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sample.limits.max-running-jobs is 0: it must be at least 1");
        assertThatThrownBy(() -> new SampleProperties.Limits(0, 1, 1))
                .hasMessage("sample.limits.max-samples is 0: it must be at least 1");
        assertThatThrownBy(() -> new SampleProperties.Limits(1, -1, 1))
                .hasMessage("sample.limits.max-chunks is -1: it must be at least 1");
    }

    @Test
    void rejectsMoreChunksThanSamples() {
        assertThatThrownBy(() -> new JobRequest(3L, 4, null).validate(limits))
                .hasMessage("chunks must not exceed samples (3), got 4");
    }
}
