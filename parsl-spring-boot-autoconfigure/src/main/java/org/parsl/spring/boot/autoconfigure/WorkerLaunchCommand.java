package org.parsl.spring.boot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import org.parsl.providers.LocalProvider;

/**
 * The command that starts this same application again as a worker: the running JVM's {@code java},
 * its options (without debugger agents and C1-only settings), the configured worker JVM options, its
 * class path (or its executable jar) and main class, {@code --parsl.worker.enabled=true} and the active
 * profiles (so the worker reads the same configuration). The
 * provider adds the rest of the worker's settings as environment variables.
 */
final class WorkerLaunchCommand {

    private WorkerLaunchCommand() {
    }

    static List<String> of(Class<?> mainClass, List<String> extraJvmOptions, List<String> activeProfiles) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-javaagent")
                    && !option.startsWith("-XX:TieredStopAtLevel")) {
                command.add(option);
            }
        }
        // the JVM reports "--add-modules java.se" as "--add-modules=java.se": either means they are there
        if (command.stream().noneMatch(o -> o.startsWith("--add-modules"))) {
            command.addAll(LocalProvider.hazelcastJvmOptions());
        }
        command.addAll(extraJvmOptions);
        String classPath = System.getProperty("java.class.path");
        File single = new File(classPath);
        if (!classPath.contains(File.pathSeparator) && single.isFile() && hasStartClass(single)) {
            command.add("-jar");
            command.add(single.getAbsolutePath());
        } else {
            command.add("-cp");
            command.add(absolute(classPath));
            command.add(mainClass.getName());
        }
        command.add("--parsl.worker.enabled=true");
        if (!activeProfiles.isEmpty()) {
            // the worker reads the same configuration files as this application (its pools, its beans' settings)
            command.add("--spring.profiles.active=" + String.join(",", activeProfiles));
        }
        command.add("--spring.main.web-application-type=none");
        return command;
    }

    private static String absolute(String classPath) {
        List<String> parts = new ArrayList<>();
        for (String part : classPath.split(File.pathSeparator)) {
            if (!part.isEmpty()) {
                parts.add(new File(part).getAbsolutePath());
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    private static boolean hasStartClass(File jar) {
        try (JarFile file = new JarFile(jar)) {
            return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Start-Class") != null;
        } catch (IOException e) {
            return false;
        }
    }
}
