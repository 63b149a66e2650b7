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
 * <li><b>Worker mode.</b> {@code parsl.worker.enabled=true} adds a {@code HazelcastWorker} serving the
 * application's beans, and keeps every other bean: the kernel and the pools exist there too, every label
 * a thread pool of the worker's JVM, so any application starts as a worker unchanged and a remote method
 * may submit work ({@link org.parsl.spring.boot.autoconfigure.ConditionalOnParslKernel} /
 * {@link org.parsl.spring.boot.autoconfigure.ConditionalOnParslWorker} keep beans on one side). No web
 * server, no actuator pieces; it runs only the {@code @Async} methods of the labels it serves. The local
 * provider relaunches the application with the same class path (or executable jar), main class (the
 * {@code @SpringBootConfiguration} bean's, not the stack's) and active profiles; credential-like
 * {@code -D} options go through the environment, not the command line.</li>
 * <li><b>Context.</b> Local {@code @Async} tasks run through the composed {@code TaskDecorator} beans and in
 * the scope of the task's {@code Observation} ({@code parsl.task}, one per task, from a kernel listener);
 * calls sent to workers carry the MDC, string thread-locals and trace headers.</li>
 * <li><b>AOT.</b> Pool beans are factory-method definitions ({@code ParslPoolBeans.pool}), which Spring AOT
 * writes as code.</li>
 * <li><b>Lifecycle.</b> The kernel starts when its bean is created (before any lifecycle bean and the web
 * server); {@link org.parsl.spring.boot.autoconfigure.ParslDataFlowKernelLifecycle} stops it after the web
 * server, waiting up to {@code parsl.shutdown-timeout} for submitted tasks, then cleaning up.</li>
 * <li><b>Errors.</b> Configuration mistakes throw {@link
 * org.parsl.spring.boot.autoconfigure.InvalidParslConfigurationException}, reported by a FailureAnalyzer
 * with the property: the core builders own the rules and the starter translates their messages to
 * property names; unknown {@code parsl.*} keys and unreadable values are caught when the pool beans are
 * registered; an {@code @Async} name that matches no executor is found at startup.</li>
 * </ul>
 */
package org.parsl.spring.boot.autoconfigure;
