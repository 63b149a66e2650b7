/**
 * The Hazelcast executor: tasks run in worker JVMs connected to a Hazelcast cluster.
 *
 * <h2>Topology</h2>
 * The DataFlowKernel's JVM holds a Hazelcast <em>member</em> (the application's own, or an
 * embedded one bound to {@code 127.0.0.1}, no multicast or auto-detection, TCP-IP join only when
 * member addresses are given, so a lone member starts at once). Workers connect to it as Hazelcast
 * <em>clients</em>, not members or lite members: a client starts in well under a second with no
 * join protocol (the default join timing costs ~12 s), opens no listening socket, holds no
 * partitions (a worker leaving never migrates data), and its death is seen at once by the member's
 * client listener, besides the heartbeats.
 *
 * <h2>Task path</h2>
 * <ul>
 * <li>Tasks of one label go to the {@code IQueue} {@code parsl.tasks.<label>}, one item per task,
 *     added in batches ({@code addAll} of everything that accumulated while the previous batch was
 *     being sent: a lone task goes at once, a burst goes in few calls), with no backup copies (a lost
 *     item is a lost try, which the DataFlowKernel's retries cover).</li>
 * <li>Pull: a worker takes items only for its free slots plus {@code prefetchCapacity}: one blocking
 *     {@code poll}, then {@code drainTo} for the rest of its room. A slow worker is never buried.</li>
 * <li>Results go back, batched into signed frames, to the queue {@code parsl.results.<runId>} of the
 *     DataFlowKernel that submitted them, so several DataFlowKernels can share one worker pool. A
 *     worker acknowledges the tasks it took (the try is then {@code RUNNING} on that worker) in the
 *     same frames.</li>
 * <li>Each worker writes a heartbeat (a plain string) to the map {@code parsl.workers} every
 *     {@code heartbeatPeriod}. A worker silent for {@code heartbeatThreshold}, or whose client
 *     disconnects, is lost: every try it acknowledged fails with {@link org.parsl.executors.hazelcast.WorkerLost},
 *     and the DataFlowKernel retries it if its retries allow.</li>
 * <li>Cancelling sends a signed request on the topic {@code parsl.cancel.<label>}: a worker drops
 *     the task when it takes it, or interrupts it if it runs.</li>
 * </ul>
 *
 * <h2>Security</h2>
 * Hazelcast only carries {@code byte[]} and strings, so it deserializes nothing of ours. Every task,
 * result frame and cancel request carries an HMAC-SHA256 over its bytes with a shared secret
 * (configured, or generated per run and handed to the workers the provider launches); a receiver
 * checks it before reading the payload. Payloads are then read through an
 * {@link java.io.ObjectInputFilter} allowlist: the JDK's value and collection types,
 * {@code org.parsl}, serializable lambdas, and {@code allowedPackages}. A payload that fails either
 * check fails its task with a message naming the class or the secret setting; the worker goes on.
 */
package org.parsl.executors.hazelcast;
