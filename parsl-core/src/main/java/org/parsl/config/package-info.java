/** The immutable {@link org.parsl.config.Config} of a run and the retry cost model. */
package org.parsl.config;
