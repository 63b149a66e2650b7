package org.parsl.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A Monte Carlo option-pricing service on Parsl: a job's chunks run with {@code @Async("gpu")} in
 * worker JVMs that the {@code gpu} executor's local provider spawns from this same application (in
 * worker mode), and each chunk's result is chained into a reduce step on the local {@code cpu} pool.
 * A demo job runs at startup; {@code --sample.exit-after-demo=true} exits after it.
 */
@SpringBootApplication
@EnableAsync
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        application.addListeners(new WorkersServeNoWebTraffic());
        ConfigurableApplicationContext context = application.run(args);
        Environment environment = context.getEnvironment();
        if (!isWorker(environment) && environment.getProperty("sample.exit-after-demo", Boolean.class, false)) {
            // closes the context (the DataFlowKernel stops its worker JVMs); the demo's ExitCodeGenerator decides the status
            System.exit(SpringApplication.exit(context));
        }
    }

    static boolean isWorker(Environment environment) {
        return environment.getProperty("parsl.worker.enabled", Boolean.class, false);
    }

    /** A worker only runs tasks: no web server, so it neither takes a port nor serves requests. */
    static final class WorkersServeNoWebTraffic implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            if (isWorker(event.getEnvironment())) {
                event.getSpringApplication().setWebApplicationType(WebApplicationType.NONE);
            }
        }
    }
}
