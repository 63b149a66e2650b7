package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.app.App;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.monitoring.MonitoringStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ParslMonitoringAutoConfigurationTest {

    @TempDir
    Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslMonitoringAutoConfiguration.class));

    private ApplicationContextRunner withDfk() {
        return runner.withBean("parslDataFlowKernel", DataFlowKernel.class, () -> ActuateTestSupport.dfk(runDir));
    }

    @Test
    void recordsTheTasksOfTheDataFlowKernelBean() {
        withDfk().run(context -> {
            DataFlowKernel dfk = context.getBean(DataFlowKernel.class);
            App.of(dfk, (Integer x) -> x + 1).call(1).get();
            MonitoringStore store = context.getBean(ListeningMonitoringStore.class).store();
            assertThat(store.records(1)).hasSize(5);
            assertThat(store.jsonLinesFile()).isEmpty();
        });
    }

    @Test
    void backsOffWithoutADataFlowKernel() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ListeningMonitoringStore.class));
    }

    @Test
    void backsOffWhenMonitoringIsDisabled() {
        withDfk().withPropertyValues("parsl.monitoring.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ListeningMonitoringStore.class));
    }

    @Test
    void takesItsSizesFromProperties() {
        withDfk().withPropertyValues("parsl.monitoring.capacity=7", "parsl.monitoring.recent-failures=3")
                .run(context -> assertThat(context.getBean(ListeningMonitoringStore.class).store().capacity()).isEqualTo(7));
    }

    @Test
    void writesJsonLinesInTheRunDirectoryWhenAsked() throws Exception {
        Path[] file = new Path[1];
        withDfk().withPropertyValues("parsl.monitoring.json-lines=true").run(context -> {
            DataFlowKernel dfk = context.getBean(DataFlowKernel.class);
            App.of(dfk, (Integer x) -> x + 1).call(1).get();
            file[0] = dfk.runDir().resolve(ParslMonitoringAutoConfiguration.JSON_LINES_FILE);
            assertThat(context.getBean(ListeningMonitoringStore.class).store().jsonLinesFile()).contains(file[0]);
        });
        // the context is closed: the file is complete
        assertThat(Files.readAllLines(file[0])).hasSize(5).allSatisfy(line -> assertThat(line).startsWith("{\"kind\":"));
    }

    @Test
    void aUserStoreReplacesIt() {
        withDfk().withUserConfiguration(UserStore.class)
                .run(context -> assertThat(context).hasSingleBean(ListeningMonitoringStore.class).hasBean("myStore"));
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class UserStore {
        @org.springframework.context.annotation.Bean
        ListeningMonitoringStore myStore(DataFlowKernel dfk) {
            return new ListeningMonitoringStore(dfk, MonitoringStore.builder().capacity(5).build());
        }
    }
}
