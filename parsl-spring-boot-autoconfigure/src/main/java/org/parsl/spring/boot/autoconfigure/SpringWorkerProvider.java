package org.parsl.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.parsl.providers.Block;
import org.parsl.providers.BlockRequest;
import org.parsl.providers.ExecutionProvider;
import org.parsl.providers.LocalProvider;

/**
 * A {@link LocalProvider} that relaunches this Spring Boot application as a worker. The system
 * properties of the parent that look like credentials ({@link Credentials}) are not on the worker's
 * command line (which every user of the machine can read, and which the provider logs): they go in the
 * worker's environment, as {@value #SYSTEM_PROPERTIES_VARIABLE}, which the worker turns back into system
 * properties before anything reads them ({@code ParslWorkerEnvironmentPostProcessor}). Its
 * {@link #toString()} names the main class, not the command.
 */
final class SpringWorkerProvider implements ExecutionProvider {

    /** The environment variable that carries a worker's credential-like system properties (in {@link Properties} format). */
    static final String SYSTEM_PROPERTIES_VARIABLE = "PARSL_WORKER_SYSTEM_PROPERTIES";

    private final LocalProvider delegate;
    private final String mainClass;
    private final Map<String, String> systemProperties;

    SpringWorkerProvider(LocalProvider delegate, String mainClass, Map<String, String> systemProperties) {
        this.delegate = delegate;
        this.mainClass = mainClass;
        this.systemProperties = Map.copyOf(systemProperties);
    }

    @Override
    public int initBlocks() {
        return delegate.initBlocks();
    }

    @Override
    public int minBlocks() {
        return delegate.minBlocks();
    }

    @Override
    public int maxBlocks() {
        return delegate.maxBlocks();
    }

    @Override
    public double parallelism() {
        return delegate.parallelism();
    }

    @Override
    public boolean launchesWorkers() {
        return true;
    }

    @Override
    public boolean launchesOnThisMachine() {
        return delegate.launchesOnThisMachine();
    }

    /** The credential-like system properties that go to the worker through its environment. */
    Map<String, String> systemProperties() {
        return systemProperties;
    }

    @Override
    public Block startBlock(BlockRequest request) throws IOException {
        if (systemProperties.isEmpty()) {
            return delegate.startBlock(request);
        }
        Map<String, String> environment = new HashMap<>(request.environment());
        environment.put(SYSTEM_PROPERTIES_VARIABLE, encode(systemProperties));
        return delegate.startBlock(new BlockRequest(request.blockId(), request.command(), environment, request.logFile()));
    }

    static String encode(Map<String, String> properties) {
        Properties p = new Properties();
        p.putAll(properties);
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Map<String, String> decode(String encoded) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(encoded));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new HashMap<>();
        p.stringPropertyNames().forEach(name -> map.put(name, p.getProperty(name)));
        return map;
    }

    @Override
    public String toString() {
        return "LocalProvider[initBlocks=" + initBlocks() + ", minBlocks=" + minBlocks() + ", maxBlocks=" + maxBlocks()
                + ", parallelism=" + parallelism() + ", workers=" + mainClass + " in worker mode"
                + (systemProperties.isEmpty() ? "" : ", " + systemProperties.size() + " credential-like system properties passed in the environment")
                + "]";
    }
}
