package org.parsl.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The build runs Spring AOT on the sample ({@code spring-boot-maven-plugin:process-aot}, bound in the
 * sample's pom): it must have succeeded and written the Parsl beans as code — the per-label pools
 * through their factory method, not an instance supplier AOT cannot write.
 */
class SampleAotIT {

    private static final Path SOURCES = Path.of("target", "spring-aot", "main", "sources");

    @Test
    void processAotWroteThePoolBeansOfEveryLabelAsCode() throws Exception {
        Path pools = SOURCES.resolve("org/parsl/spring/boot/autoconfigure/ParslPoolBeans__BeanDefinitions.java");
        assertThat(pools).as("process-aot ran and generated the pool beans").exists();
        String code = Files.readString(pools);
        assertThat(code).contains("addIndexedArgumentValue(1, \"cpu\")").contains("addIndexedArgumentValue(1, \"gpu\")")
                .contains("ParslPoolBeans.pool(");
        String registrations = Files.readString(SOURCES.resolve("org/parsl/sample/SampleApplication__BeanFactoryRegistrations.java"));
        assertThat(registrations).contains("registerBeanDefinition(\"parslDataFlowKernel\"")
                .contains("registerBeanDefinition(\"parslPoolExecutor\"");
        assertThat(Path.of("target", "classes", "org", "parsl", "sample", "SampleApplication__ApplicationContextInitializer.class"))
                .as("the generated code compiled").exists();
    }
}
