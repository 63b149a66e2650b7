package org.parsl.spring.boot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.hazelcast.core.HazelcastInstance;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.hazelcast.HazelcastExecutor;
import org.parsl.providers.ExecutionProvider;
import org.parsl.providers.ExternalProvider;
import org.parsl.providers.LocalProvider;
import org.parsl.spring.boot.autoconfigure.ParslProperties.ProviderType;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Makes the Hazelcast executors of {@code parsl.executors.<label>} (type {@code hazelcast}). They use
 * the application's {@code HazelcastInstance} bean when there is one; otherwise the executor starts
 * its own embedded member from {@code parsl.hazelcast.*} (loopback by default, no multicast) and stops
 * it with the DataFlowKernel — kept private, not a bean, so it does not become "the application's".
 *
 * <p>A {@code local} provider relaunches this application in worker mode (see {@link WorkerLaunchCommand}),
 * so workers have the application's classes and beans; its packages (those of
 * {@code @SpringBootApplication}) and {@code parsl.allowed-packages} may travel to and from workers.
 */
final class HazelcastRemoteExecutors implements RemoteExecutors {

    private final ParslProperties properties;
    private final ObjectProvider<HazelcastInstance> applicationInstance;
    private final ListableBeanFactory beanFactory;
    private final Environment environment;

    HazelcastRemoteExecutors(ParslProperties properties, ObjectProvider<HazelcastInstance> applicationInstance,
            ListableBeanFactory beanFactory, Environment environment) {
        this.properties = properties;
        this.applicationInstance = applicationInstance;
        this.beanFactory = beanFactory;
        this.environment = environment;
    }

    @Override
    public ParslExecutor create(String label, ParslProperties.Executor e) {
        ParslProperties.Hazelcast h = properties.getHazelcast();
        HazelcastExecutor.Builder b = HazelcastExecutor.builder(label)
                .allowedPackages(allowedPackages(beanFactory, properties))
                .provider(provider(label, e.getProvider()));
        HazelcastInstance app = applicationInstance.getIfUnique();
        if (app != null) {
            b.hazelcastInstance(app).clusterName(app.getConfig().getClusterName());
        } else {
            b.clusterName(h.getClusterName()).memberInterface(h.getInterface()).port(h.getPort()).memberAddresses(h.getMembers());
        }
        if (e.getMaxWorkersPerNode() != null) {
            b.maxWorkersPerNode(e.getMaxWorkersPerNode());
        }
        if (e.getPrefetchCapacity() != null) {
            b.prefetchCapacity(e.getPrefetchCapacity());
        }
        if (e.getHeartbeatPeriod() != null) {
            b.heartbeatPeriod(e.getHeartbeatPeriod());
        }
        if (e.getHeartbeatThreshold() != null) {
            b.heartbeatThreshold(e.getHeartbeatThreshold());
        }
        if (!e.getAvailableAccelerators().isEmpty()) {
            b.availableAccelerators(e.getAvailableAccelerators());
        }
        if (h.getSecret() != null && !h.getSecret().isEmpty()) {
            b.secret(h.getSecret());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException ex) {
            throw ParslSettingMessages.executor(label, ex);
        }
    }

    private ExecutionProvider provider(String label, ParslProperties.Provider p) {
        if (p.getType() == ProviderType.EXTERNAL) {
            return new ExternalProvider();
        }
        LocalProvider.Builder b = LocalProvider.builder()
                .initBlocks(p.getInitBlocks())
                .minBlocks(p.getMinBlocks())
                .maxBlocks(p.getMaxBlocks())
                .parallelism(p.getParallelism());
        try {
            b.build(); // the provider's own checks first: the launch command below needs the main class
        } catch (IllegalArgumentException ex) {
            throw ParslSettingMessages.provider(label, ex);
        }
        if (!p.getLaunchCommand().isEmpty()) {
            try {
                return b.launchCommand(p.getLaunchCommand()).jvmOptions(p.getJvmOptions()).build();
            } catch (IllegalArgumentException ex) {
                throw ParslSettingMessages.provider(label, ex);
            }
        }
        Class<?> main = mainClass(label);
        WorkerLaunchCommand command = WorkerLaunchCommand.of(main, p.getJvmOptions(), activeProfiles()).withRunDir(properties.getRunDir());
        try {
            return new SpringWorkerProvider(b.launchCommand(command.command()).build(), main.getName(), command.credentials());
        } catch (IllegalArgumentException ex) {
            throw ParslSettingMessages.provider(label, ex);
        }
    }

    private List<String> activeProfiles() {
        return environment == null ? List.of() : List.of(environment.getActiveProfiles());
    }

    /** The application's main class: its {@code @SpringBootConfiguration} (not the stack, which names Surefire in tests). */
    private Class<?> mainClass(String label) {
        for (String name : beanFactory.getBeanNamesForAnnotation(SpringBootConfiguration.class)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type != null) {
                return ClassUtils.getUserClass(type);
            }
        }
        String command = System.getProperty("sun.java.command", "");
        String first = command.split(" ", 2)[0];
        if (!first.isEmpty() && !first.endsWith(".jar")) {
            try {
                return ClassUtils.forName(first, getClass().getClassLoader());
            } catch (ClassNotFoundException | LinkageError ignored) {
                // fall through to the message below
            }
        }
        throw new InvalidParslConfigurationException("parsl.executors." + label + ".provider.type is 'local', but the application's main class "
                + "(to relaunch it as a worker) is unknown: there is no @SpringBootApplication bean",
                "Run the application from its @SpringBootApplication class, or set parsl.executors." + label
                        + ".provider.launch-command to the command that starts a worker.");
    }

    /** The application's packages and {@code parsl.allowed-packages}. */
    static Set<String> allowedPackages(ListableBeanFactory beanFactory, ParslProperties properties) {
        Set<String> packages = new LinkedHashSet<>(properties.getAllowedPackages());
        if (AutoConfigurationPackages.has(beanFactory)) {
            packages.addAll(AutoConfigurationPackages.get(beanFactory));
        }
        return packages;
    }
}
