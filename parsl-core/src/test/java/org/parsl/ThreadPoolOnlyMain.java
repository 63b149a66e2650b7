package org.parsl;

import java.util.List;

import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.executors.ThreadPoolExecutor;

/** Runs a thread-pool Config in a JVM whose class path has no Hazelcast (see {@link ThreadPoolOnlyIT}). */
public final class ThreadPoolOnlyMain {

    private ThreadPoolOnlyMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("com.hazelcast.core.HazelcastInstance");
            System.out.println("hazelcast is on the class path");
            System.exit(3);
        } catch (ClassNotFoundException expected) {
            // the point of this run
        }
        TaskFunction<Integer, Integer> inc = x -> x + 1;
        Config config = Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).runDir(java.nio.file.Path.of(args[0])).build();
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config)) {
            int two = pool.submit(inc, pool.submit(inc, 0)).get();
            List<Integer> all = pool.map(inc, List.of(1, 2, 3)).toList();
            System.out.println("result " + two + " " + all);
        }
    }
}
