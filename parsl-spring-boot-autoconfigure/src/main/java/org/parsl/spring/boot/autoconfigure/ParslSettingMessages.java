package org.parsl.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code IllegalArgumentException} of a core builder ({@code Config}, {@code ThreadPoolExecutor},
 * {@code HazelcastExecutor}, {@code LocalProvider}, {@code HazelcastWorker}) into an
 * {@link InvalidParslConfigurationException} that names {@code parsl.*} properties instead of builder
 * settings. The builders own every rule; this class only knows which property feeds which setting.
 */
final class ParslSettingMessages {

    /** A builder setting name in a message: a camelCase word ({@code maxBlocks}) or a lower-case one at a problem's start. */
    private static final Pattern WORD = Pattern.compile("\\b[a-z][A-Za-z]*\\b");
    private static final Pattern LABEL = Pattern.compile("executor label '([^']*)'");
    private static final Pattern MAX_THREADS = Pattern.compile("max-threads of executor '([^']*)'");
    private static final Pattern PREFIX = Pattern.compile("^invalid [^:]*: ");

    private ParslSettingMessages() {
    }

    /** A failure of {@code Config.Builder.build()} or of a thread-pool executor. */
    static InvalidParslConfigurationException config(IllegalArgumentException e) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("retries", "parsl.retries");
        names.put("strategy", "parsl.strategy");
        names.put("strategyPeriod", "parsl.strategy-period");
        names.put("maxIdleTime", "parsl.max-idle-time");
        names.put("runDir", "parsl.run-dir");
        return translate(e, names);
    }

    /** A failure of {@code HazelcastExecutor.Builder.build()}. */
    static InvalidParslConfigurationException executor(String label, IllegalArgumentException e) {
        String p = "parsl.executors." + label + ".";
        Map<String, String> names = new LinkedHashMap<>();
        names.put("maxWorkersPerNode", p + "max-workers-per-node");
        names.put("prefetchCapacity", p + "prefetch-capacity");
        names.put("heartbeatPeriod", p + "heartbeat-period");
        names.put("heartbeatThreshold", p + "heartbeat-threshold");
        names.put("availableAccelerators", p + "available-accelerators");
        names.put("label", "parsl.executors." + label);
        hazelcast(names);
        return translate(e, names);
    }

    /** A failure of {@code LocalProvider.Builder.build()}. */
    static InvalidParslConfigurationException provider(String label, IllegalArgumentException e) {
        String p = "parsl.executors." + label + ".provider.";
        Map<String, String> names = new LinkedHashMap<>();
        names.put("initBlocks", p + "init-blocks");
        names.put("minBlocks", p + "min-blocks");
        names.put("maxBlocks", p + "max-blocks");
        names.put("parallelism", p + "parallelism");
        names.put("jvmOptions", p + "jvm-options");
        names.put("launchCommand", p + "launch-command");
        return translate(e, names);
    }

    /** A failure of {@code HazelcastWorker.Builder.build()}. */
    static InvalidParslConfigurationException worker(IllegalArgumentException e) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("labels", "parsl.worker.labels");
        names.put("slots", "parsl.worker.slots");
        names.put("prefetchCapacity", "parsl.worker.prefetch-capacity");
        names.put("heartbeatPeriod", "parsl.worker.heartbeat-period");
        names.put("accelerators", "parsl.worker.accelerators");
        names.put("workerId", "parsl.worker.id");
        hazelcast(names);
        return translate(e, names);
    }

    private static void hazelcast(Map<String, String> names) {
        names.put("clusterName", "parsl.hazelcast.cluster-name");
        names.put("secret", "parsl.hazelcast.secret");
        names.put("memberInterface", "parsl.hazelcast.interface");
        names.put("port", "parsl.hazelcast.port");
        names.put("memberAddresses", "parsl.hazelcast.members");
        names.put("members", "parsl.hazelcast.members");
    }

    private static InvalidParslConfigurationException translate(IllegalArgumentException e, Map<String, String> names) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String body = PREFIX.matcher(message).replaceFirst("");
        Set<String> properties = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (String problem : body.split("; ")) {
            problems.add(translateOne(problem, names, properties));
        }
        String description = problems.size() == 1 ? "Invalid Parsl configuration: " + problems.get(0)
                : "Invalid Parsl configuration:" + System.lineSeparator() + " - "
                        + String.join(System.lineSeparator() + " - ", problems);
        String action = properties.isEmpty() ? "Change the parsl.* properties (or the ParslConfigCustomizer beans) as the message says."
                : "Change " + String.join(", ", properties) + " as the message says.";
        return new InvalidParslConfigurationException(description, action, e);
    }

    private static String translateOne(String problem, Map<String, String> names, Set<String> properties) {
        Matcher label = LABEL.matcher(problem);
        if (label.find()) {
            properties.add("parsl.executors." + label.group(1));
            return label.replaceFirst("executor label '$1' (parsl.executors.$1)");
        }
        Matcher threads = MAX_THREADS.matcher(problem);
        if (threads.find()) {
            properties.add("parsl.executors." + threads.group(1) + ".max-threads");
            return threads.replaceFirst("parsl.executors.$1.max-threads");
        }
        StringBuilder out = new StringBuilder();
        Matcher word = WORD.matcher(problem);
        int words = 0;
        while (word.find()) {
            String w = word.group();
            boolean camel = !w.equals(w.toLowerCase(java.util.Locale.ROOT));
            // a lower-case setting ("retries", "no secret") only at the start of a problem: elsewhere it is prose
            String property = names.get(w);
            boolean leading = words < 2 && word.start() < 12;
            if (property != null && (camel || leading)) {
                properties.add(property);
                word.appendReplacement(out, Matcher.quoteReplacement(property));
            }
            words++;
        }
        word.appendTail(out);
        return out.toString();
    }
}
