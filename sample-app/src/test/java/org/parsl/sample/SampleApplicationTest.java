package org.parsl.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.sample.pricing.PathSimulator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The sample started as one of its own workers: the same beans, no web server, no demo. */
class SampleApplicationTest {

    @TempDir
    Path runDir;

    @Test
    void asAWorkerTheSampleStartsUnchangedWithoutWebServerOrDemo() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class, NoCluster.class)
                .run("--parsl.worker.enabled=true", "--parsl.worker.labels=gpu", "--parsl.run-dir=" + runDir,
                        "--spring.main.keep-alive=false")) {
            assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
            assertThat(context.getBean(PathSimulator.class)).isNotNull(); // its @Async("gpu") calls run here
            assertThat(context.getBean("cpu", ParslPoolExecutor.class).executors()).containsExactly("cpu");
            assertThat(context.getBean("gpu", ParslPoolExecutor.class).executors()).containsExactly("gpu");
            assertThat(context.containsBean("demoRunner")).isFalse();
        }
    }

    /** Stands in for the Hazelcast worker, which would join the service's cluster. */
    @Configuration(proxyBeanMethods = false)
    static class NoCluster {
        @Bean
        Object parslWorkerLifecycle() {
            return new Object();
        }
    }
}
