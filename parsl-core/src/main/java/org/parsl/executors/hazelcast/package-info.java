/**
 * The Hazelcast executor: tasks run in worker JVMs connected to a Hazelcast cluster.
 *
 * <h2>Topology</h2>
 * The DataFlowKernel's JVM holds a Hazelcast <em>member</em> ({@link org.parsl.executors.hazelcast.KernelMember}:
 * the application's own, or an embedded one bound to {@code 127.0.0.1}, no multicast or
 * auto-detection, TCP-IP join only when member addresses are given, so a lone member starts at once).
 * Workers connect to it as Hazelcast <em>clients</em>, not members or lite members: a client starts
 * in well under a second with no join protocol, opens no listening socket, holds no partitions (a
 * worker leaving never migrates data), and its death is seen at once by the member's client listener.
 *
 * <h2>The parts, one job each</h2>
 * <ul>
 * <li>DataFlowKernel side: {@code HazelcastRunningExecutor} wires and owns the parts below and reports
 *     status; {@code KernelMember} (the member, its address and cluster name); {@code InFlight} and
 *     {@code Try} (the tries not ended, each reported at most once); {@code LinkServer} (the workers'
 *     links: handshake, one reader thread each, a lane's room); {@code Dispatcher} (tries to lanes with
 *     room); {@code ResultReader} (outcomes back); {@code WorkerRegistry} (heartbeats, loss, the
 *     acknowledgement deadline); {@code Scaler} (blocks, through the provider SPI).</li>
 * <li>Worker side: {@link org.parsl.executors.hazelcast.HazelcastWorker} (lifecycle, heartbeats, cancel
 *     requests, command line); {@code KernelLinks} (finding and linking to executors, reading task
 *     frames); {@code Slots} (running); {@code ResultSender} (results back).</li>
 * <li>Shared: {@link org.parsl.executors.hazelcast.WorkerSettings} (the worker contract),
 *     {@code Channels} (structure and channel names, configurations, the derived cluster name),
 *     {@code Frames} (the sealed wire format), {@code Link} (a TCP line of frames), {@code TaskBatch},
 *     {@code ResultBatch}, {@code Heartbeat} (what frames carry), {@code Payloads} (values and
 *     failures), {@code Allowlist} (deserialization filter).</li>
 * </ul>
 *
 * <h2>The path of a task</h2>
 * Hazelcast is the control plane (membership, the endpoint announcements in {@code parsl.links.<label>},
 * heartbeats on {@code parsl.heartbeats.<label>}, cancel requests on {@code parsl.control.<label>});
 * tasks and results travel on links, one TCP connection from each worker to each executor it serves.
 * <ol>
 * <li>The submitting thread (or, for a dependent task, the link thread that completed its last
 *     dependency) hands the try to the {@code Dispatcher}. When the line is idle it encodes the task,
 *     seals the frame and writes it to the socket of the serving worker with the most room itself; in
 *     a burst it queues the try for the thread {@code parsl-<label>-dispatcher}, which sends all that
 *     accumulated while it was sending, many tasks to a frame, one write per worker. A worker is sent at
 *     most its room (slots plus {@code prefetchCapacity}) of tries it has not reported on; the rest
 *     wait, in order, for room. Each distinct function is serialized once; common argument types are
 *     not Java-serialized at all.</li>
 * <li>On a worker, the link's reader thread {@code parsl-worker-link-N} reads the frame, opens it,
 *     checks its nonce and hands the tasks to idle slot threads, which run them.</li>
 * <li>The slot that finished writes the result itself on the link the task came on when no send is in
 *     flight (else the sender thread sends it with whatever else is waiting); acknowledgements of
 *     started tasks ride along, or follow after a few milliseconds for long tasks.</li>
 * <li>The DataFlowKernel's reader thread of that link, {@code parsl-<label>-link-N}, reads the frame
 *     and completes the tries: futures of this executor complete on it, and dependents launch from it.</li>
 * </ol>
 *
 * <h2>Security</h2>
 * The real Hazelcast cluster name is derived from the secret, so who does not know the secret cannot
 * connect; a link opens only after a challenge-response handshake sealed with the secret, both ways; Java serialization is refused by a {@code JavaSerializationFilterConfig} on the member and
 * on every worker client (only {@code byte[]} travels); every frame is encrypted and authenticated with
 * AES-256-GCM under a key derived from the secret, with its kind and channel (label and run id) under
 * the tag, and a frame that does not open is dropped and counted; workers remember nonces, so a
 * replayed task frame does not run again; task bodies and results are read through an
 * {@link java.io.ObjectInputFilter} allowlist merged with the JDK's limits. See the README.
 */
package org.parsl.executors.hazelcast;
