package org.parsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hazelcast is an optional dependency of parsl-core: a thread-pool Config runs with no Hazelcast on the class path. */
class ThreadPoolOnlyIT {

    @TempDir
    Path dir;

    @Test
    void aThreadPoolConfigRunsWithoutHazelcastOnTheClassPath() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("hazelcast"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("hazelcast");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", classPath, ThreadPoolOnlyMain.class.getName(), dir.toString()))
                .redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("result 2 [2, 3, 4]");
        } finally {
            p.destroyForcibly();
        }
    }
}
