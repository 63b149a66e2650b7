package org.parsl.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In worker mode ({@code parsl.worker.enabled=true}) an application serves tasks, not web requests:
 * unless the application says otherwise, it starts no web server, stays alive until it is stopped
 * (its only work runs on worker threads), and creates its beans when they are first used
 * ({@code spring.main.lazy-initialization=true}). Added as the last property source, so any setting of
 * the application wins. The launching application's credential-like system properties, which its local
 * provider passes in the environment rather than on the command line, become system properties again.
 *
 * <p>Lazy beans because a worker JVM starts while the machine is busy starting the application and its
 * sibling workers, and a worker needs only the beans its tasks call: a task reaches a bean through a
 * {@link RemoteBeanCall} or {@code WorkerContext.current().service(ApplicationContext.class)}, which
 * creates it then. Parsl's own worker beans start with the context all the same
 * ({@code ParslAutoConfiguration}'s {@code LazyInitializationExcludeFilter}), and Spring still creates
 * {@code SmartLifecycle} beans, application runners and {@code @Scheduled} beans at startup. An application whose workers
 * need other beans created at startup (a bean that registers itself somewhere in its constructor, say)
 * sets {@code spring.main.lazy-initialization=false}, or marks those beans {@code @Lazy(false)}.
 */
class ParslWorkerEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String PROPERTY_SOURCE_NAME = "parslWorkerDefaults";

    static final String LAZY_INITIALIZATION_PROPERTY = "spring.main.lazy-initialization";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!Binder.get(environment).bind("parsl.worker.enabled", Boolean.class).orElse(false)) {
            return;
        }
        // credential-like system properties of the launching application come through the environment, not the command line
        String credentials = environment.getSystemEnvironment().get(SpringWorkerProvider.SYSTEM_PROPERTIES_VARIABLE) instanceof String s
                ? s : null;
        if (credentials != null) {
            SpringWorkerProvider.decode(credentials).forEach((name, value) -> {
                if (System.getProperty(name) == null) {
                    System.setProperty(name, value);
                }
            });
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.main.web-application-type", "none");
        defaults.put("spring.main.keep-alive", "true");
        defaults.put(LAZY_INITIALIZATION_PROPERTY, "true");
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
    }
}
