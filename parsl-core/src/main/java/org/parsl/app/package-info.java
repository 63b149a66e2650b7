/**
 * Apps: serializable task function types and {@link org.parsl.app.App}, a function bound to a
 * DataFlowKernel (Parsl's {@code @python_app} and {@code @join_app}).
 */
package org.parsl.app;
