/**
 * Providers: where the worker JVMs of a distributed executor come from (Parsl's providers).
 * {@link org.parsl.providers.LocalProvider} launches blocks of worker JVMs on this machine;
 * {@link org.parsl.providers.ExternalProvider} leaves starting workers to the user.
 */
package org.parsl.providers;
