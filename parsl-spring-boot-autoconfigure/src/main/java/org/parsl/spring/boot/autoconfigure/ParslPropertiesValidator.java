package org.parsl.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.parsl.spring.boot.autoconfigure.ParslProperties.ExecutorType;
import org.parsl.spring.boot.autoconfigure.ParslProperties.ProviderType;

/**
 * Checks {@code parsl.*} settings before anything starts, so that each mistake fails startup with a
 * message naming the property, its value and the fix (rather than an exception from deep inside).
 */
final class ParslPropertiesValidator {

    /** Same rule as {@code Config}: labels name beans and threads. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private final List<String> problems = new ArrayList<>();
    private final List<String> fixes = new ArrayList<>();

    private ParslPropertiesValidator() {
    }

    /** Checks the settings a DataFlowKernel host uses. */
    static void validateKernel(ParslProperties properties) {
        ParslPropertiesValidator v = new ParslPropertiesValidator();
        v.kernel(properties);
        v.throwIfAny();
    }

    /** Checks the settings a worker uses. */
    static void validateWorker(ParslProperties properties) {
        ParslPropertiesValidator v = new ParslPropertiesValidator();
        v.worker(properties.getWorker());
        v.throwIfAny();
    }

    private void kernel(ParslProperties p) {
        if (p.getRetries() < 0) {
            add("parsl.retries is " + p.getRetries() + ", but it cannot be negative",
                    "set parsl.retries to 0 (no retries) or more");
        }
        if (!"simple".equals(p.getStrategy()) && !"none".equals(p.getStrategy())) {
            add("parsl.strategy is '" + p.getStrategy() + "', which is not a scaling strategy",
                    "set parsl.strategy to 'simple' or 'none'");
        }
        positive("parsl.strategy-period", p.getStrategyPeriod());
        notNegative("parsl.max-idle-time", p.getMaxIdleTime());
        notNegative("parsl.shutdown-timeout", p.getShutdownTimeout());
        String secret = p.getHazelcast().getSecret();
        if (secret != null && !secret.isEmpty() && secret.length() < 8) {
            add("parsl.hazelcast.secret is shorter than 8 characters",
                    "set parsl.hazelcast.secret to a long random string, or leave it empty to generate one per run");
        }
        for (Map.Entry<String, ParslProperties.Executor> e : p.getExecutors().entrySet()) {
            executor(e.getKey(), e.getValue());
        }
    }

    private void executor(String label, ParslProperties.Executor e) {
        String prefix = "parsl.executors." + label;
        if (!LABEL.matcher(label).matches()) {
            add("executor label '" + label + "' (under parsl.executors) is not a valid name",
                    "rename parsl.executors." + label + ": a label starts with a letter, then letters, digits, '-' or '_' (e.g. 'gpu')");
            return;
        }
        ExecutorType type = ExecutorType.of(e.getType());
        if (type == null) {
            add(prefix + ".type is '" + e.getType() + "', which is not an executor type",
                    "set " + prefix + ".type to 'thread-pool' or 'hazelcast'");
            return;
        }
        if (type == ExecutorType.THREAD_POOL) {
            if (e.getMaxThreads() < 1) {
                add(prefix + ".max-threads is " + e.getMaxThreads() + ", but it must be at least 1",
                        "set " + prefix + ".max-threads to 1 or more");
            }
            return;
        }
        atLeast(prefix + ".max-workers-per-node", e.getMaxWorkersPerNode(), 1);
        atLeast(prefix + ".prefetch-capacity", e.getPrefetchCapacity(), 0);
        positive(prefix + ".heartbeat-period", e.getHeartbeatPeriod());
        positive(prefix + ".heartbeat-threshold", e.getHeartbeatThreshold());
        Duration period = e.getHeartbeatPeriod() != null ? e.getHeartbeatPeriod() : Duration.ofSeconds(1);
        Duration threshold = e.getHeartbeatThreshold() != null ? e.getHeartbeatThreshold() : Duration.ofSeconds(10);
        if (!period.isNegative() && !period.isZero() && !threshold.isNegative() && !threshold.isZero() && threshold.compareTo(period.multipliedBy(2)) < 0) {
            add(prefix + ".heartbeat-threshold (" + threshold + ") is less than twice " + prefix + ".heartbeat-period (" + period + ")",
                    "raise " + prefix + ".heartbeat-threshold to at least twice the heartbeat period (e.g. 10s for 1s), or lower the period");
        }
        ParslProperties.Provider pr = e.getProvider();
        String pp = prefix + ".provider";
        if (ProviderType.of(pr.getType()) == null) {
            add(pp + ".type is '" + pr.getType() + "', which is not a provider type",
                    "set " + pp + ".type to 'local' (worker JVMs started on this machine) or 'external' (workers started by you)");
        }
        atLeast(pp + ".init-blocks", pr.getInitBlocks(), 0);
        atLeast(pp + ".min-blocks", pr.getMinBlocks(), 0);
        atLeast(pp + ".max-blocks", pr.getMaxBlocks(), 0);
        if (pr.getMinBlocks() >= 0 && pr.getMaxBlocks() >= 0 && pr.getMinBlocks() > pr.getMaxBlocks()) {
            add(pp + ".min-blocks (" + pr.getMinBlocks() + ") is greater than " + pp + ".max-blocks (" + pr.getMaxBlocks() + ")",
                    "lower " + pp + ".min-blocks or raise " + pp + ".max-blocks so that min-blocks <= max-blocks");
        } else if (pr.getInitBlocks() > pr.getMaxBlocks() && pr.getMaxBlocks() >= 0) {
            add(pp + ".init-blocks (" + pr.getInitBlocks() + ") is greater than " + pp + ".max-blocks (" + pr.getMaxBlocks() + ")",
                    "lower " + pp + ".init-blocks or raise " + pp + ".max-blocks so that init-blocks <= max-blocks");
        }
        if (!(pr.getParallelism() >= 0.0 && pr.getParallelism() <= 1.0)) {
            add(pp + ".parallelism is " + pr.getParallelism() + ", but it must be between 0.0 and 1.0",
                    "set " + pp + ".parallelism to a value from 0.0 to 1.0");
        }
    }

    private void worker(ParslProperties.Worker w) {
        if (w.getLabels().isEmpty()) {
            add("parsl.worker.enabled is true but parsl.worker.labels is empty: the worker would serve no executor",
                    "set parsl.worker.labels to the labels of the Hazelcast executors this worker serves, e.g. [gpu]");
        }
        for (String label : w.getLabels()) {
            if (!LABEL.matcher(label).matches()) {
                add("parsl.worker.labels holds '" + label + "', which is not a valid executor label",
                        "use labels that start with a letter, then letters, digits, '-' or '_'");
            }
        }
        atLeast("parsl.worker.slots", w.getSlots(), 1);
    }

    private void atLeast(String property, Integer value, int min) {
        if (value != null && value < min) {
            add(property + " is " + value + ", but it must be at least " + min,
                    "set " + property + " to " + min + " or more");
        }
    }

    private void positive(String property, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            add(property + " is " + d + ", but it must be positive", "set " + property + " to a positive duration, e.g. 1s");
        }
    }

    private void notNegative(String property, Duration d) {
        if (d != null && d.isNegative()) {
            add(property + " is " + d + ", but it cannot be negative", "set " + property + " to 0s or more, e.g. 30s");
        }
    }

    private void add(String problem, String fix) {
        problems.add(problem);
        fixes.add(fix);
    }

    private void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        if (problems.size() == 1) {
            throw new InvalidParslConfigurationException("Invalid Parsl configuration: " + problems.get(0), capitalize(fixes.get(0)) + ".");
        }
        StringBuilder d = new StringBuilder("Invalid Parsl configuration:");
        StringBuilder a = new StringBuilder("Change your parsl.* properties:");
        for (int i = 0; i < problems.size(); i++) {
            d.append(System.lineSeparator()).append(" - ").append(problems.get(i));
            a.append(System.lineSeparator()).append(" - ").append(fixes.get(i));
        }
        throw new InvalidParslConfigurationException(d.toString(), a.toString());
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
