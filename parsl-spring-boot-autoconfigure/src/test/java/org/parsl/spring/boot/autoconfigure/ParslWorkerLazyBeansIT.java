package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Worker mode's lazy beans with real contexts in this JVM: a kernel application with a Hazelcast
 * executor whose workers are started by hand, and the same application started in worker mode, which
 * joins it. A call sent to the worker creates the bean it names there; Parsl's own worker beans are
 * not lazy; {@code spring.main.lazy-initialization=false} makes the worker's beans eager again.
 */
class ParslWorkerLazyBeansIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    static class GreeterApp {
        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    static class Greeter {
        @Async("gpu")
        public CompletableFuture<String> greet(String name) {
            return CompletableFuture.completedFuture("hello " + name + " from " + Thread.currentThread().getName());
        }
    }

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private List<String> shared;

    @BeforeEach
    void startTheKernel() throws IOException {
        shared = List.of("--parsl.run-dir=target/runinfo-worker-lazy-beans-it",
                "--parsl.executors.cpu.type=thread-pool", "--parsl.executors.cpu.max-threads=1",
                "--parsl.executors.gpu.type=hazelcast", "--parsl.executors.gpu.provider.type=external",
                "--parsl.hazelcast.interface=127.0.0.1", "--parsl.hazelcast.port=" + freePort(),
                "--parsl.hazelcast.cluster-name=parsl-lazy-it-" + UUID.randomUUID(),
                "--parsl.hazelcast.secret=" + UUID.randomUUID());
        contexts.add(new SpringApplicationBuilder(GreeterApp.class).web(WebApplicationType.NONE)
                .run(shared.toArray(String[]::new)));
    }

    @AfterEach
    void closeWorkersThenTheKernel() {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    @Test
    void aCallSentToAWorkerCreatesTheBeanItNamesThere() throws Exception {
        ConfigurableApplicationContext worker = startWorker();
        assertThat(worker.getBeanFactory().getBeanDefinition("greeter").isLazyInit()).isTrue();
        assertThat(worker.getBeanFactory().containsSingleton("greeter")).isFalse();

        String greeting = contexts.get(0).getBean(Greeter.class).greet("ada").get(60, TimeUnit.SECONDS);

        assertThat(greeting).startsWith("hello ada from parsl-worker-slot-");
        assertThat(worker.getBeanFactory().containsSingleton("greeter")).isTrue();
    }

    @Test
    void parslsOwnWorkerBeansStartWithTheContext() {
        ConfigurableApplicationContext worker = startWorker();
        for (String name : List.of("parslWorkerLifecycle", "parslDataFlowKernelLifecycle")) {
            assertThat(worker.getBeanFactory().getBeanDefinition(name).isLazyInit()).as(name).isFalse();
        }
        assertThat(worker.getBean(ParslWorkerLifecycle.class).isRunning()).isTrue();
    }

    @Test
    void anApplicationCanKeepItsWorkersBeansEager() {
        ConfigurableApplicationContext worker = startWorker("--spring.main.lazy-initialization=false");
        assertThat(worker.getBeanFactory().containsSingleton("greeter")).isTrue();
    }

    private ConfigurableApplicationContext startWorker(String... more) {
        List<String> args = new ArrayList<>(shared);
        args.addAll(List.of("--parsl.worker.enabled=true", "--parsl.worker.labels=gpu", "--parsl.worker.slots=1"));
        args.addAll(List.of(more));
        ConfigurableApplicationContext worker = new SpringApplicationBuilder(GreeterApp.class).run(args.toArray(String[]::new));
        contexts.add(worker);
        return worker;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
