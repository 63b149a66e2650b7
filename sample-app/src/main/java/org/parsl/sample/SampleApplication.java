package org.parsl.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A Monte Carlo option-pricing service on Parsl: a job's chunks run with {@code @Async("gpu")} in
 * worker JVMs that the {@code gpu} executor's local provider spawns from this same application (in
 * worker mode: the starter turns the web server off there, and the beans are the same, so nothing
 * here is written for workers but the demo's {@code @ConditionalOnParslKernel}), and each chunk's
 * result is chained into a reduce step on the local {@code cpu} pool. A demo job runs at startup;
 * {@code --sample.exit-after-demo=true} exits after it.
 */
@SpringBootApplication
@EnableAsync
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class, args);
        Environment environment = context.getEnvironment();
        if (!isWorker(environment) && environment.getProperty("sample.exit-after-demo", Boolean.class, false)) {
            // closes the context (the DataFlowKernel stops its worker JVMs); the demo's ExitCodeGenerator decides the status
            System.exit(SpringApplication.exit(context));
        }
    }

    static boolean isWorker(Environment environment) {
        return environment.getProperty("parsl.worker.enabled", Boolean.class, false);
    }
}
