package org.parsl.spring.boot.autoconfigure;

import org.parsl.executors.ParslExecutor;

/** Makes the distributed executors of {@code parsl.executors.<label>} with {@code type: hazelcast}. */
interface RemoteExecutors {

    ParslExecutor create(String label, ParslProperties.Executor properties);
}
