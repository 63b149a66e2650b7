package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

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
    void workerModeCreatesNoDataFlowKernel() {
        runner.withPropertyValues("parsl.worker.enabled=true", "parsl.worker.labels=gpu")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DataFlowKernel.class);
                    assertThat(context).doesNotHaveBean(Config.class);
                    assertThat(context).doesNotHaveBean(ParslPoolExecutor.class);
                });
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

    @Configuration(proxyBeanMethods = false)
    static class PoolUser {
        @Autowired
        @Qualifier("io")
        ParslPoolExecutor io;

        @Autowired
        ParslPoolExecutor any;
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
