package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ThreadPoolExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class ParslAutoConfigurationTest {

    @TempDir
    static Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("parsl.run-dir=" + runDir);

    @Test
    void noPropertiesGiveADefaultPoolOverOneThreadPoolExecutor() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(DataFlowKernel.class);
            assertThat(context).hasBean("parslConfig").hasBean("parslDataFlowKernel");
            ParslPoolExecutor pool = context.getBean("parslPoolExecutor", ParslPoolExecutor.class);
            assertThat(context).hasBean("cpu");
            assertThat(pool.dfk().executorLabels()).containsExactly("cpu");
            assertThat(pool.submit(() -> 41 + 1).get()).isEqualTo(42);
        });
    }

    @Test
    void twoLabelsGiveBeansNamedByTheLabelsPlusTheDefaultPool() {
        runner.withPropertyValues("parsl.executors.cpu.max-threads=2", "parsl.executors.io.type=thread-pool")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("cpu", ParslPoolExecutor.class).executors()).containsExactly("cpu");
                    assertThat(context.getBean("io", ParslPoolExecutor.class).executors()).containsExactly("io");
                    assertThat(context.getBean("parslPoolExecutor", ParslPoolExecutor.class).executors()).isEmpty();
                    assertThat(context.getBean(DataFlowKernel.class).executorLabels()).containsExactly("cpu", "io");
                    assertThat(((ThreadPoolExecutor) context.getBean(Config.class).executors().get(0)).maxThreads()).isEqualTo(2);
                });
    }

    @Test
    void aPoolIsInjectedByQualifierAndTheDefaultPoolWithoutOne() {
        runner.withPropertyValues("parsl.executors.cpu.max-threads=1", "parsl.executors.io.max-threads=1")
                .withUserConfiguration(PoolUser.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PoolUser user = context.getBean(PoolUser.class);
                    assertThat(user.io).isSameAs(context.getBean("io"));
                    assertThat(user.any).isSameAs(context.getBean("parslPoolExecutor"));
                });
    }

    @Test
    void bootsApplicationTaskExecutorStaysAndGetsUnqualifiedExecutorInjectionPoints() {
        runner.withPropertyValues("parsl.executors.cpu.max-threads=1")
                .withUserConfiguration(ExecutorUser.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasBean("applicationTaskExecutor");
                    assertThat(context.getBean(ExecutorUser.class).executor)
                            .isSameAs(context.getBean("applicationTaskExecutor"));
                });
    }

    @Test
    void aUserConfigBeanWins() {
        Config mine = Config.builder().executor(new ThreadPoolExecutor("mine", 1)).runDir(runDir).build();
        runner.withPropertyValues("parsl.executors.cpu.max-threads=2")
                .withBean(Config.class, () -> mine)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Config.class)).isSameAs(mine);
                    assertThat(context.getBean(DataFlowKernel.class).config()).isSameAs(mine);
                    assertThat(context).doesNotHaveBean("cpu");
                });
    }

    @Test
    void customizersRunInOrder() {
        runner.withPropertyValues("parsl.executors.cpu.max-threads=2")
                .withUserConfiguration(Customizers.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Config config = context.getBean(Config.class);
                    assertThat(config.retries()).isEqualTo(2);
                    assertThat(config.executors()).extracting(e -> e.label()).containsExactly("cpu", "extra");
                });
    }

    @Test
    void anExistingHazelcastInstanceIsReused() throws IOException {
        String cluster = "reuse-" + UUID.randomUUID();
        com.hazelcast.config.Config config = loopbackMember(cluster);
        HazelcastInstance mine = Hazelcast.newHazelcastInstance(config);
        try {
            Set<HazelcastInstance> before = Set.copyOf(Hazelcast.getAllHazelcastInstances());
            runner.withPropertyValues("parsl.executors.gpu.type=hazelcast", "parsl.executors.gpu.provider.type=external")
                    .withBean(HazelcastInstance.class, () -> mine)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(DataFlowKernel.class).executorLabels()).containsExactly("gpu");
                        assertThat(Hazelcast.getAllHazelcastInstances()).containsExactlyInAnyOrderElementsOf(before);
                        assertThat(mine.getCluster().getMembers()).hasSize(1);
                    });
            assertThat(mine.getLifecycleService().isRunning()).as("the application's instance is not Parsl's to stop").isTrue();
        } finally {
            mine.shutdown();
        }
    }

    @Test
    void workerModeHasTheSamePoolBeansOnThreadPoolsOfItsOwn() {
        runner.withPropertyValues("parsl.worker.enabled=true", "parsl.worker.labels=gpu", "parsl.worker.slots=3",
                        "parsl.executors.cpu.max-threads=2", "parsl.executors.gpu.type=hazelcast")
                .withBean("parslWorkerLifecycle", Object.class, Object::new) // a stand-in: no cluster to join here
                .withUserConfiguration(PoolsByQualifier.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataFlowKernel dfk = context.getBean(DataFlowKernel.class);
                    assertThat(dfk.executorLabels()).containsExactly("cpu", "gpu");
                    assertThat(dfk.config().executors()).allSatisfy(e -> assertThat(e).isInstanceOf(ThreadPoolExecutor.class));
                    assertThat(((ThreadPoolExecutor) dfk.config().executors().get(1)).maxThreads()).isEqualTo(3);
                    assertThat(dfk.config().runDir()).isEqualTo(runDir.resolve("workers"));
                    assertThat(context.getBean(PoolsByQualifier.class).gpu.submit(() -> Thread.currentThread().getName()).get())
                            .startsWith("parsl-gpu-worker-");
                });
    }

    @Test
    void onTheKernelOnlyKernelBeansExist() {
        runner.withUserConfiguration(SideBeans.class).run(context -> assertThat(context)
                .hasBean("kernelOnly").doesNotHaveBean("workerOnly"));
    }

    @Test
    void onAWorkerOnlyWorkerBeansExist() {
        runner.withPropertyValues("parsl.worker.enabled=true", "parsl.worker.labels=gpu")
                .withBean("parslWorkerLifecycle", Object.class, Object::new)
                .withUserConfiguration(SideBeans.class)
                .run(context -> assertThat(context).hasBean("workerOnly").doesNotHaveBean("kernelOnly"));
    }

    @Test
    void parslEnabledFalseConfiguresNothing() {
        runner.withPropertyValues("parsl.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DataFlowKernel.class));
    }

    @Test
    void closingTheContextCleansTheKernelUp() {
        DataFlowKernel[] dfk = new DataFlowKernel[1];
        runner.run(context -> dfk[0] = context.getBean(DataFlowKernel.class));
        assertThat(dfk[0].isClosed()).isTrue();
    }

    @Test
    void settingsBindIntoTheConfig() {
        runner.withPropertyValues("parsl.retries=3", "parsl.strategy=none", "parsl.max-idle-time=5s")
                .run(context -> {
                    Config config = context.getBean(Config.class);
                    assertThat(config.retries()).isEqualTo(3);
                    assertThat(config.strategy()).isEqualTo("none");
                    assertThat(config.maxIdleTime()).hasSeconds(5);
                    assertThat(config.runDir()).isEqualTo(runDir);
                });
    }

    /** A member on loopback only, with its own cluster name and a port no other run holds. */
    static com.hazelcast.config.Config loopbackMember(String cluster) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        com.hazelcast.config.Config c = new com.hazelcast.config.Config();
        c.setClusterName(cluster);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.getNetworkConfig().setPort(port).setPortAutoIncrement(true);
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        c.getJetConfig().setEnabled(false);
        return c;
    }

    @Configuration(proxyBeanMethods = false)
    static class PoolUser {
        @Autowired
        @Qualifier("io")
        ParslPoolExecutor io;

        @Autowired
        ParslPoolExecutor any;
    }

    @Configuration(proxyBeanMethods = false)
    static class PoolsByQualifier {
        @Autowired
        @Qualifier("cpu")
        ParslPoolExecutor cpu;

        @Autowired
        @Qualifier("gpu")
        ParslPoolExecutor gpu;
    }

    @Configuration(proxyBeanMethods = false)
    static class SideBeans {
        @Bean
        @ConditionalOnParslKernel
        String kernelOnly() {
            return "kernel";
        }

        @Bean
        @ConditionalOnParslWorker
        String workerOnly() {
            return "worker";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ExecutorUser {
        @Autowired
        Executor executor;
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        @Order(2)
        ParslConfigCustomizer addsAnExecutor() {
            return b -> b.executor(new ThreadPoolExecutor("extra", 1));
        }

        @Bean
        @Order(1)
        ParslConfigCustomizer setsRetries() {
            return b -> b.retries(2);
        }
    }

}
