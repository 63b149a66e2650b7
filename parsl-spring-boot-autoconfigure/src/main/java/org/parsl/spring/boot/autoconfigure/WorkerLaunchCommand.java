package org.parsl.spring.boot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import org.parsl.executors.hazelcast.HazelcastWorker;

/**
 * The command that starts this same application again as a worker: the running JVM's {@code java},
 * its options (without debugger agents, C1-only settings and class-data recording), the configured worker JVM options, its
 * class path (or its executable jar) and main class, {@code --parsl.worker.enabled=true} and the active
 * profiles (so the worker reads the same configuration). The provider adds the rest of the worker's
 * settings as environment variables.
 *
 * <p>System properties whose name looks like a credential ({@code -Dapp.db.password=...}) are left
 * out of the command ({@link #credentials()}): they reach the worker through its environment
 * ({@link SpringWorkerProvider}).
 *
 * @param command the command line
 * @param credentials the credential-like system properties left out of it, by name
 */
record WorkerLaunchCommand(List<String> command, Map<String, String> credentials) {

    static WorkerLaunchCommand of(Class<?> mainClass, List<String> extraJvmOptions, List<String> activeProfiles) {
        return of(mainClass, ManagementFactory.getRuntimeMXBean().getInputArguments(), extraJvmOptions, activeProfiles);
    }

    static WorkerLaunchCommand of(Class<?> mainClass, List<String> jvmOptions, List<String> extraJvmOptions,
            List<String> activeProfiles) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java));
        Map<String, String> credentials = new LinkedHashMap<>();
        for (String option : jvmOptions) {
            // no debugger ports or agents twice, no C1-only workers, no AOT (its bean definitions are the kernel's),
            // and no class-data recording: a worker uses the application's archive (-XX:SharedArchiveFile), never writes it
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-javaagent")
                    && !option.startsWith("-XX:TieredStopAtLevel") && !option.startsWith("-Dspring.aot.enabled")
                    && !recordsClassData(option)) {
                add(command, credentials, option);
            }
        }
        // the JVM reports "--add-modules java.se" as "--add-modules=java.se": either means they are there
        if (command.stream().noneMatch(o -> o.startsWith("--add-modules"))) {
            command.addAll(HazelcastWorker.jvmOptions());
        }
        for (String option : extraJvmOptions) {
            add(command, credentials, option);
        }
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
        return new WorkerLaunchCommand(List.copyOf(command), Map.copyOf(credentials));
    }

    /**
     * Options that make a JVM write class data at exit (a CDS archive, a class list, a Java 24+ AOT
     * configuration or cache): a worker that inherited them would overwrite what the application records.
     */
    /**
     * The same command, with the worker's kernel writing under {@code runDir} (absolute): a worker's
     * run directories go to {@code <runDir>/workers/NNN}, beside this application's, wherever the
     * worker starts and whatever run directory this application was given on its command line.
     */
    WorkerLaunchCommand withRunDir(Path runDir) {
        List<String> c = new ArrayList<>(command);
        c.add("--parsl.run-dir=" + runDir.toAbsolutePath().normalize());
        return new WorkerLaunchCommand(List.copyOf(c), credentials);
    }

    private static boolean recordsClassData(String option) {
        return option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:DumpLoadedClassList")
                || option.startsWith("-XX:AOTMode") || option.startsWith("-XX:AOTConfiguration")
                || option.startsWith("-XX:AOTCacheOutput") || option.equals("-Xshare:dump");
    }

    private static void add(List<String> command, Map<String, String> credentials, String option) {
        if (option.startsWith("-D")) {
            int eq = option.indexOf('=');
            String name = eq < 0 ? option.substring(2) : option.substring(2, eq);
            if (Credentials.isCredentialName(name)) {
                credentials.put(name, eq < 0 ? "" : option.substring(eq + 1));
                return;
            }
        }
        command.add(option);
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

    @Override
    public String toString() {
        return "WorkerLaunchCommand" + command + (credentials.isEmpty() ? "" : " + " + credentials.size() + " credential(s) in the environment");
    }
}
