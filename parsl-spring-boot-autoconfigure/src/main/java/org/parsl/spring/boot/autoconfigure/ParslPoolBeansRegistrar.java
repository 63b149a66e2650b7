package org.parsl.spring.boot.autoconfigure;

import java.util.Arrays;

import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link ParslPoolExecutor} bean per {@code parsl.executors.<label>}, named by the label.
 * It runs while configuration classes are parsed (so later conditions see the beans), and checks the
 * {@code parsl.*} keys and values first ({@link ParslPropertyNames}, {@link ParslPropertiesBinding}), so
 * a typo or a value of the wrong type fails startup before anything starts.
 *
 * <p>The definitions name a static factory method ({@link ParslPoolBeans#pool}) and a target type, no
 * instance supplier, so Spring AOT can write them as code.
 *
 * <p>The beans are not default candidates: they are injected only by name or qualifier
 * ({@code @Qualifier("gpu")}, {@code @Async("gpu")}), never into an unqualified {@code Executor}.
 * With a {@code Config} bean of the application's own, no per-label beans are registered (their
 * labels are not known here): define them as {@code new ParslPoolExecutor(dfk, List.of("gpu"))}.
 */
class ParslPoolBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        ParslPropertyNames.checkNoUnknownKeys(environment);
        ParslProperties properties = ParslPropertiesBinding.bind(environment);
        if (beanFactory instanceof ListableBeanFactory lbf && Arrays.stream(lbf.getBeanNamesForType(Config.class, true, false))
                .anyMatch(name -> !name.equals(ParslAutoConfiguration.CONFIG_BEAN_NAME))) {
            return; // the application's own Config: its labels are not known here
        }
        for (String label : ParslConfigFactory.executors(properties).keySet()) {
            if (registry.containsBeanDefinition(label)) {
                continue; // the application's own bean of that name wins
            }
            RootBeanDefinition pool = new RootBeanDefinition(ParslPoolBeans.class);
            pool.setFactoryMethodName("pool");
            pool.setTargetType(ParslPoolExecutor.class);
            pool.getConstructorArgumentValues().addIndexedArgumentValue(0,
                    new RuntimeBeanReference(ParslAutoConfiguration.DATA_FLOW_KERNEL_BEAN_NAME, DataFlowKernel.class));
            pool.getConstructorArgumentValues().addIndexedArgumentValue(1, label);
            pool.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR); // the TaskDecorator beans
            pool.setDefaultCandidate(false);
            pool.setDestroyMethodName("shutdown");
            registry.registerBeanDefinition(label, pool);
        }
    }
}
