package org.parsl.providers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Java program a block's workers run, as the executor wants it: JVM options, class path, main
 * class and arguments. A provider turns it into a command line for where it launches (adding its own
 * JVM options), or replaces it with a launch command of the user's; it never needs to know what the
 * program is.
 *
 * @param jvmOptions options the executor's workers need (placed before the provider's own)
 * @param classPath the class path
 * @param mainClass the main class
 * @param arguments the program's arguments (never secrets: command lines are visible to every user)
 */
public record WorkerCommand(List<String> jvmOptions, String classPath, String mainClass, List<String> arguments) {

    /** Copies the lists and checks that nothing is missing. */
    public WorkerCommand {
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(classPath, "classPath must not be null");
        Objects.requireNonNull(mainClass, "mainClass must not be null");
    }

    /**
     * The command line: {@code java}, the executor's JVM options, {@code extraJvmOptions}, the class
     * path, the main class and the arguments.
     */
    public List<String> toCommandLine(String java, List<String> extraJvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }
}
