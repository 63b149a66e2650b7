package org.parsl.spring.boot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.parsl.Parsl;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.config.RetryHandler;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ThreadPoolExecutor;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parsl in a Spring Boot application: {@code parsl.*} properties become the {@link Config} bean
 * {@code parslConfig}, loaded into the {@link DataFlowKernel} bean {@code parslDataFlowKernel}; every
 * executor label becomes a {@link ParslPoolExecutor} bean named by the label (injected only by name
 * or qualifier), and {@code parslPoolExecutor} spans all executors. {@code @Async("label")} methods run
 * as Parsl tasks.
 *
 * <p>With {@code parsl.worker.enabled=true} the application is a worker: it serves the tasks of the
 * Hazelcast executors named by {@code parsl.worker.labels}, and has the same beans, so any
 * application starts as a worker unchanged (created when a task first uses them, unless
 * {@code spring.main.lazy-initialization=false}; Parsl's own worker beans start with the context). There, the kernel and the pools are local: every label is
 * a thread pool of the worker's JVM, so a method that runs on a worker may itself submit work, which
 * runs on that worker. {@link ConditionalOnParslKernel} and {@link ConditionalOnParslWorker} keep beans
 * on one side only.
 *
 * <p>Runs after Boot's task-execution auto-configuration, so Boot's {@code applicationTaskExecutor}
 * (and plain {@code @Async}) stay as they are.
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class,
        afterName = {"org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration",
                "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
                "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "parsl.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ParslProperties.class)
@Import(ParslPoolBeansRegistrar.class)
public final class ParslAutoConfiguration {

    /** The name of the {@link Config} bean. */
    public static final String CONFIG_BEAN_NAME = "parslConfig";

    /** The name of the {@link DataFlowKernel} bean. */
    public static final String DATA_FLOW_KERNEL_BEAN_NAME = "parslDataFlowKernel";

    /** The name of the default {@link ParslPoolExecutor} bean, over every executor. */
    public static final String POOL_EXECUTOR_BEAN_NAME = "parslPoolExecutor";

    /** The property that turns an application into a worker. */
    public static final String WORKER_ENABLED_PROPERTY = "parsl.worker.enabled";

    @Bean(CONFIG_BEAN_NAME)
    @ConditionalOnMissingBean
    Config parslConfig(ParslProperties properties, ObjectProvider<ParslConfigCustomizer> customizers,
            ObjectProvider<RetryHandler> retryHandler, ObjectProvider<RemoteExecutors> remoteExecutors,
            Environment environment) {
        boolean worker = environment.getProperty(WORKER_ENABLED_PROPERTY, Boolean.class, false);
        Config.Builder builder = ParslConfigFactory.builder(properties, retryHandler.getIfUnique(),
                (label, executor) -> remoteExecutors.getObject().create(label, executor), // resolved only when needed
                worker ? properties.getRunDir().resolve("workers") : properties.getRunDir());
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return ParslConfigFactory.build(builder);
    }

    @Bean(name = DATA_FLOW_KERNEL_BEAN_NAME, destroyMethod = "cleanup")
    @ConditionalOnMissingBean
    DataFlowKernel parslDataFlowKernel(Config config, ObjectProvider<ObservationRegistry> observationRegistry) {
        DataFlowKernel dfk = Parsl.load(config);
        ObservationRegistry registry = observationRegistry.getIfUnique();
        if (registry != null && !registry.isNoop()) {
            dfk.addListener(new ParslTaskObservations(registry));
        }
        return dfk;
    }

    @Bean
    @ConditionalOnMissingBean
    ParslDataFlowKernelLifecycle parslDataFlowKernelLifecycle(DataFlowKernel dfk, ParslProperties properties) {
        return new ParslDataFlowKernelLifecycle(dfk, properties.getShutdownTimeout());
    }

    /** {@code @Fallback}: an unqualified {@code Executor} still gets Boot's {@code applicationTaskExecutor}. */
    @Bean(name = POOL_EXECUTOR_BEAN_NAME, destroyMethod = "shutdown")
    @Fallback
    @ConditionalOnMissingBean(name = POOL_EXECUTOR_BEAN_NAME)
    ParslPoolExecutor parslPoolExecutor(DataFlowKernel dfk, ObjectProvider<TaskDecorator> taskDecorators) {
        return ParslPoolBeans.create(dfk, java.util.List.of(), taskDecorators);
    }

    @Bean
    @ConditionalOnMissingBean
    ParslAsyncInvoker parslAsyncInvoker(BeanFactory beanFactory, ObjectProvider<JsonMapper> jsonMapper,
            Environment environment, ParslProperties properties, ObjectProvider<ObservationRegistry> observationRegistry) {
        JsonMapper mapper = jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
        boolean worker = environment.getProperty(WORKER_ENABLED_PROPERTY, Boolean.class, false);
        // a worker runs the calls of the labels it serves; the kernel's JVM only those that land on its own executors
        Set<String> served = worker ? new LinkedHashSet<>(properties.getWorker().getLabels()) : null;
        return new ParslAsyncInvoker(beanFactory, new JsonCodec(mapper), AsyncRouting.of(beanFactory, environment), served,
                observationRegistry);
    }

    @Bean
    static ParslAsyncRoutingPostProcessor parslAsyncRoutingPostProcessor(ObjectProvider<AsyncRouting> routing,
            ObjectProvider<ParslAsyncDispatcher> dispatcher) {
        return new ParslAsyncRoutingPostProcessor(routing, dispatcher);
    }

    @Bean
    AsyncRouting parslAsyncRouting(BeanFactory beanFactory, Environment environment) {
        return AsyncRouting.of(beanFactory, environment);
    }

    @Bean
    ParslAsyncDispatcher parslAsyncDispatcher(BeanFactory beanFactory, ParslAsyncInvoker invoker,
            ObjectProvider<TaskDecorator> taskDecorators, ObjectProvider<AsyncConfigurer> asyncConfigurer) {
        return new ParslAsyncDispatcher(beanFactory, invoker, TaskDecorators.compose(taskDecorators),
                AsyncExceptionHandlers.of(asyncConfigurer));
    }

    @Bean
    static AsyncExecutorNameVerifier parslAsyncExecutorNameVerifier() {
        return new AsyncExecutorNameVerifier();
    }

    /** The application submits the work: distributed executors hand their tasks to Hazelcast workers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnParslKernel
    static class KernelConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RemoteExecutors parslRemoteExecutors(ParslProperties properties, ObjectProvider<HazelcastInstance> hazelcastInstance,
                ListableBeanFactory beanFactory, Environment environment) {
            return new HazelcastRemoteExecutors(properties, hazelcastInstance, beanFactory, environment);
        }
    }

    /**
     * The application is a worker ({@code parsl.worker.enabled=true}): it serves the Hazelcast executors
     * of {@code parsl.worker.labels}, and its own kernel runs every label on a thread pool of this JVM.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnParslWorker
    static class WorkerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RemoteExecutors parslRemoteExecutors(ParslProperties properties) {
            return (label, executor) -> new ThreadPoolExecutor(label, WorkerPools.localThreads(properties, executor));
        }

        /**
         * A worker's beans are lazy unless the application says otherwise (see
         * {@code ParslWorkerEnvironmentPostProcessor}); Parsl's own are not: the worker joins its cluster, and
         * its kernel starts, with the context, so a worker whose settings are wrong fails at startup.
         */
        @Bean
        static LazyInitializationExcludeFilter parslWorkerLazyInitializationExcludeFilter() {
            return LazyInitializationExcludeFilter.forBeanTypes(ParslWorkerLifecycle.class, ParslDataFlowKernelLifecycle.class);
        }

        @Bean
        @ConditionalOnMissingBean(name = "parslWorkerLifecycle")
        ParslWorkerLifecycle parslWorkerLifecycle(ParslProperties properties, ParslAsyncInvoker invoker,
                ListableBeanFactory beanFactory, ApplicationContext context, Environment environment) {
            return new ParslWorkerLifecycle(properties, HazelcastRemoteExecutors.allowedPackages(beanFactory, properties),
                    invoker, context);
        }
    }
}
