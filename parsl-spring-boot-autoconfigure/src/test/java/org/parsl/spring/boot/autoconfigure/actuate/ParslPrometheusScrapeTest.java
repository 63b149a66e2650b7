package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What a Prometheus scrape of two executors costs, by default and with histograms asked for (the README quotes it). */
class ParslPrometheusScrapeTest {

    @TempDir
    static Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                    MetricsAutoConfiguration.class, ParslMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .withPropertyValues("parsl.run-dir=" + runDir, "parsl.executors.cpu.max-threads=2", "parsl.executors.io.max-threads=2");

    @Test
    void aScrapeOfTwoExecutorsIsSmallByDefault() {
        runner.run(context -> {
            long lines = parslLines(context.getBean(PrometheusMeterRegistry.class), context.getBean("cpu", ParslPoolExecutor.class),
                    context.getBean("io", ParslPoolExecutor.class));
            System.out.println("parsl_* lines of a scrape, two executors, default: " + lines);
            assertThat(lines).isLessThan(150);
        });
    }

    @Test
    void histogramsAskedForWithBootsPropertyMakeItMuchLarger() {
        runner.withPropertyValues("management.metrics.distribution.percentiles-histogram.parsl=true").run(context -> {
            long lines = parslLines(context.getBean(PrometheusMeterRegistry.class), context.getBean("cpu", ParslPoolExecutor.class),
                    context.getBean("io", ParslPoolExecutor.class));
            System.out.println("parsl_* lines of a scrape, two executors, percentiles-histogram.parsl=true: " + lines);
            assertThat(lines).isGreaterThan(300);
        });
    }

    private static long parslLines(PrometheusMeterRegistry registry, ParslPoolExecutor... pools) throws Exception {
        for (ParslPoolExecutor pool : pools) {
            pool.submit(() -> 1).get(10, TimeUnit.SECONDS);
        }
        return registry.scrape().lines().filter(l -> l.startsWith("parsl_")).count();
    }
}
