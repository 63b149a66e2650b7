/**
 * Spring Boot auto-configuration of Parsl: {@code parsl.*} properties ({@link
 * org.parsl.spring.boot.autoconfigure.ParslProperties}) become the {@code Config} bean {@code parslConfig},
 * loaded into the {@code DataFlowKernel} bean {@code parslDataFlowKernel}; each executor label becomes a
 * {@code ParslPoolExecutor} bean named by the label, and {@code parslPoolExecutor} spans them all.
 *
 * <p>Decisions worth knowing:
 * <ul>
 * <li><b>Beans and Boot's executor.</b> {@link org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration} runs
 * after {@code TaskExecutionAutoConfiguration}, so {@code applicationTaskExecutor} is still created. The label
 * pools are registered (while configuration classes are parsed, after validating the properties) as
 * non-default candidates; {@code parslPoolExecutor} is a {@code @Fallback}: an unqualified
 * {@code ParslPoolExecutor} gets it, an unqualified {@code Executor} gets Boot's.</li>
 * <li><b>{@code @Async("label")}.</b> Spring's async interceptor only hands a {@code Callable} to the executor,
 * which cannot be sent to another JVM. So for every bean that {@code @EnableAsync} proxied, a post-processor
 * narrows Spring's async advisor to the other {@code @Async} methods and puts an interceptor of ours first
 * for the methods whose executor name is a Parsl pool. It sees bean, method and arguments on the caller's
 * thread and submits a DataFlowKernel task (a {@code Future} argument is a dependency). On thread-pool
 * executors the task proceeds down the proxy's chain in this JVM; otherwise the task body is a
 * {@link org.parsl.spring.boot.autoconfigure.RemoteBeanCall} (bean name, method, JSON arguments — only
 * strings travel), which the worker hands to its {@link org.parsl.spring.boot.autoconfigure.ParslAsyncInvoker}
 * (registered as a worker service) to call its own bean through its proxy; the JSON result is read back into
 * the method's declared return type.</li>
 * <li><b>Worker mode.</b> {@code parsl.worker.enabled=true} replaces the DataFlowKernel by a
 * {@code HazelcastWorker} serving the application's beans; no web server, kept alive until stopped, stops
 * when its cluster or the application that launched it goes away. The local provider relaunches the
 * application with the same class path (or executable jar) and main class (the
 * {@code @SpringBootConfiguration} bean's, not the stack's).</li>
 * <li><b>Lifecycle.</b> The kernel starts when its bean is created (before any lifecycle bean and the web
 * server); {@link org.parsl.spring.boot.autoconfigure.ParslDataFlowKernelLifecycle} stops it after the web
 * server, waiting up to {@code parsl.shutdown-timeout} for submitted tasks, then cleaning up.</li>
 * <li><b>Errors.</b> Configuration mistakes throw {@link
 * org.parsl.spring.boot.autoconfigure.InvalidParslConfigurationException}, reported by a FailureAnalyzer
 * with the property and the fix; an {@code @Async} name that matches no executor is found at startup.</li>
 * </ul>
 */
package org.parsl.spring.boot.autoconfigure;
