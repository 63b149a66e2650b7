package org.parsl.spring.boot.autoconfigure.actuate;

import org.parsl.dataflow.DataFlowKernel;
import org.parsl.monitoring.MonitoringStore;
import org.springframework.beans.factory.DisposableBean;

/**
 * A {@link MonitoringStore} listening to a DataFlowKernel for as long as the application context
 * holds it: added as a listener when made, removed (and its file closed) when the context closes.
 * A bean of its own type so that a user's own {@code MonitoringStore} bean does not clash with it.
 */
public final class ListeningMonitoringStore implements DisposableBean {

    private final DataFlowKernel dfk;
    private final MonitoringStore store;

    /** Adds the store as a listener of the DataFlowKernel. */
    public ListeningMonitoringStore(DataFlowKernel dfk, MonitoringStore store) {
        this.dfk = dfk;
        this.store = store;
        dfk.addListener(store);
    }

    /** The store. */
    public MonitoringStore store() {
        return store;
    }

    @Override
    public void destroy() {
        dfk.removeListener(store);
        store.close();
    }
}
