package org.parsl.spring.boot.autoconfigure;

import org.parsl.Parsl;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.config.RetryHandler;
import org.parsl.dataflow.DataFlowKernel;
import com.hazelcast.core.HazelcastInstance;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Parsl in a Spring Boot application: {@code parsl.*} properties become the {@link Config} bean
 * {@code parslConfig}, loaded into the {@link DataFlowKernel} bean {@code parslDataFlowKernel}; every
 * executor label becomes a {@link ParslPoolExecutor} bean named by the label (injected only by name
 * or qualifier), and {@code parslPoolExecutor} spans all executors. {@code @Async("label")} methods run
 * as Parsl tasks. With {@code parsl.worker.enabled=true} the application is a worker instead: no
 * DataFlowKernel, it serves tasks of Hazelcast executors.
 *
 * <p>Runs after Boot's task-execution auto-configuration, so Boot's {@code applicationTaskExecutor}
 * (and plain {@code @Async}) stay as they are.
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class,
        afterName = {"org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration",
                "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "parsl.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ParslProperties.class)
public final class ParslAutoConfiguration {

    /** The name of the {@link Config} bean. */
    public static final String CONFIG_BEAN_NAME = "parslConfig";

    /** The name of the {@link DataFlowKernel} bean. */
    public static final String DATA_FLOW_KERNEL_BEAN_NAME = "parslDataFlowKernel";

    /** The name of the default {@link ParslPoolExecutor} bean, over every executor. */
    public static final String POOL_EXECUTOR_BEAN_NAME = "parslPoolExecutor";

    @Bean
    @ConditionalOnMissingBean
    ParslAsyncInvoker parslAsyncInvoker(BeanFactory beanFactory, ObjectProvider<JsonMapper> jsonMapper) {
        JsonMapper mapper = jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
        return new ParslAsyncInvoker(beanFactory, new JsonCodec(mapper));
    }

    @Bean
    static ParslAsyncRoutingPostProcessor parslAsyncRoutingPostProcessor(ObjectProvider<AsyncRouting> routing,
            ObjectProvider<ParslAsyncDispatcher> dispatcher) {
        return new ParslAsyncRoutingPostProcessor(routing, dispatcher);
    }

    /** The application runs a DataFlowKernel. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "parsl.worker.enabled", havingValue = false, matchIfMissing = true)
    @Import(ParslPoolBeansRegistrar.class)
    static class KernelConfiguration {

        @Bean(CONFIG_BEAN_NAME)
        @ConditionalOnMissingBean
        Config parslConfig(ParslProperties properties, ObjectProvider<ParslConfigCustomizer> customizers,
                ObjectProvider<RetryHandler> retryHandler, ObjectProvider<RemoteExecutors> remoteExecutors) {
            Config.Builder builder = ParslConfigFactory.builder(properties, retryHandler.getIfUnique(),
                    (label, executor) -> remoteExecutors.getObject().create(label, executor)); // resolved only when needed
            customizers.orderedStream().forEach(c -> c.customize(builder));
            try {
                return builder.build();
            } catch (IllegalArgumentException e) {
                throw new InvalidParslConfigurationException(e.getMessage(),
                        "Change the parsl.* properties (or the ParslConfigCustomizer beans) so that the Config is valid.");
            }
        }

        @Bean(name = DATA_FLOW_KERNEL_BEAN_NAME, destroyMethod = "cleanup")
        @ConditionalOnMissingBean
        DataFlowKernel parslDataFlowKernel(Config config) {
            return Parsl.load(config);
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
        ParslPoolExecutor parslPoolExecutor(DataFlowKernel dfk) {
            return new ParslPoolExecutor(dfk);
        }

        @Bean
        @ConditionalOnMissingBean
        RemoteExecutors parslRemoteExecutors(ParslProperties properties, ObjectProvider<HazelcastInstance> hazelcastInstance,
                ListableBeanFactory beanFactory) {
            return new HazelcastRemoteExecutors(properties, hazelcastInstance, beanFactory);
        }

        @Bean
        AsyncRouting parslAsyncRouting(BeanFactory beanFactory, Environment environment) {
            return AsyncRouting.kernel(beanFactory, environment);
        }

        @Bean
        ParslAsyncDispatcher parslAsyncDispatcher(BeanFactory beanFactory, ParslAsyncInvoker invoker) {
            return new ParslAsyncDispatcher(beanFactory, invoker);
        }

        @Bean
        static AsyncExecutorNameVerifier parslAsyncExecutorNameVerifier() {
            return new AsyncExecutorNameVerifier();
        }
    }

    /** The application is a worker ({@code parsl.worker.enabled=true}): no DataFlowKernel. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "parsl.worker.enabled")
    static class WorkerConfiguration {

        @Bean
        AsyncRouting parslAsyncRouting(ParslProperties properties, BeanFactory beanFactory, Environment environment) {
            ParslPropertiesValidator.validateWorker(properties);
            return AsyncRouting.worker(beanFactory, environment);
        }

        @Bean
        @ConditionalOnMissingBean(name = "parslWorkerLifecycle")
        ParslWorkerLifecycle parslWorkerLifecycle(ParslProperties properties, ParslAsyncInvoker invoker,
                ListableBeanFactory beanFactory, ApplicationContext context, Environment environment) {
            ParslPropertiesValidator.validateWorker(properties);
            return new ParslWorkerLifecycle(properties, HazelcastRemoteExecutors.allowedPackages(beanFactory, properties),
                    invoker, context);
        }
    }
}
