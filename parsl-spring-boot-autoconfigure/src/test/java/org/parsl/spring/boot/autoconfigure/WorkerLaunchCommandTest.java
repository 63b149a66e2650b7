package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parsl.providers.LocalProvider;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class WorkerLaunchCommandTest {

    @Test
    void credentialLikeSystemPropertiesStayOffTheCommandLine() {
        WorkerLaunchCommand command = WorkerLaunchCommand.of(WorkerLaunchCommandTest.class,
                List.of("-Xmx1g", "-Dapp.db.password=hunter2", "-Dapp.name=demo", "-agentlib:jdwp=transport=dt_socket",
                        "-Dspring.aot.enabled=true"),
                List.of("-Dapi.token=t0k3n", "-XX:+UseSerialGC"), List.of("prod"));
        assertThat(String.join(" ", command.command())).doesNotContain("hunter2").doesNotContain("t0k3n").doesNotContain("jdwp").doesNotContain("spring.aot")
                .contains("-Xmx1g").contains("-Dapp.name=demo").contains("-XX:+UseSerialGC")
                .contains("--parsl.worker.enabled=true").contains("--spring.profiles.active=prod");
        assertThat(command.credentials()).containsOnly(Map.entry("app.db.password", "hunter2"), Map.entry("api.token", "t0k3n"));
        assertThat(command.toString()).doesNotContain("hunter2");
    }

    @Test
    void workersWriteUnderTheApplicationsRunDirectoryGivenAsAnAbsolutePath() {
        WorkerLaunchCommand command = WorkerLaunchCommand.of(WorkerLaunchCommandTest.class, List.of("-Dapp.db.password=hunter2"),
                List.of(), List.of()).withRunDir(java.nio.file.Path.of("runinfo"));
        String expected = "--parsl.run-dir=" + java.nio.file.Path.of("runinfo").toAbsolutePath().normalize();
        assertThat(command.command()).last().isEqualTo(expected);
        assertThat(command.command()).contains("--parsl.worker.enabled=true");
        assertThat(command.credentials()).containsOnly(Map.entry("app.db.password", "hunter2"));
    }

    @Test
    void workersUseTheApplicationsClassDataArchiveButNeverRecordOne() {
        WorkerLaunchCommand command = WorkerLaunchCommand.of(WorkerLaunchCommandTest.class,
                List.of("-XX:SharedArchiveFile=/app/base.jsa", "-XX:ArchiveClassesAtExit=/app/app.jsa",
                        "-XX:DumpLoadedClassList=/app/classes.lst", "-XX:AOTMode=record", "-XX:AOTConfiguration=/app/app.aotconf"),
                List.of(), List.of());
        assertThat(command.command()).contains("-XX:SharedArchiveFile=/app/base.jsa")
                .noneMatch(o -> o.contains("ArchiveClassesAtExit") || o.contains("DumpLoadedClassList") || o.startsWith("-XX:AOT"));
    }

    @Test
    void theProviderPassesThemInTheEnvironmentAndNamesNoCommand() {
        WorkerLaunchCommand command = WorkerLaunchCommand.of(WorkerLaunchCommandTest.class, List.of("-Dapp.db.password=hunter2"),
                List.of(), List.of());
        SpringWorkerProvider provider = new SpringWorkerProvider(LocalProvider.builder().launchCommand(command.command()).build(),
                "com.example.App", command.credentials());
        assertThat(provider.toString()).doesNotContain("hunter2").contains("com.example.App in worker mode");
        assertThat(SpringWorkerProvider.decode(SpringWorkerProvider.encode(provider.systemProperties())))
                .containsEntry("app.db.password", "hunter2");
    }

    @Test
    void aWorkerTurnsThemBackIntoSystemProperties() {
        String name = "parsl.test.db.password." + System.nanoTime();
        StandardEnvironment environment = new StandardEnvironment() {
            @Override
            public Map<String, Object> getSystemEnvironment() {
                return Map.of(SpringWorkerProvider.SYSTEM_PROPERTIES_VARIABLE, SpringWorkerProvider.encode(Map.of(name, "hunter2")));
            }
        };
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("parsl.worker.enabled", "true")));
        try {
            new ParslWorkerEnvironmentPostProcessor().postProcessEnvironment(environment, null);
            assertThat(System.getProperty(name)).isEqualTo("hunter2");
        } finally {
            System.clearProperty(name);
        }
    }
}
