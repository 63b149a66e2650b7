package org.parsl.executors.hazelcast;

import java.util.concurrent.atomic.LongAdder;

final class TraceTmp {
    static final boolean ON = Boolean.getBoolean("parsl.trace") || System.getenv("PARSL_TRACE") != null;
    static final LongAdder[] sum = new LongAdder[10];
    static final LongAdder[] n = new LongAdder[10];
    static final String[] names = {"submit->sent", "sent->resultPolled", "resultPolled->completed", "w:polled->decoded", "w:decoded->ran", "w:ran->sent", "w:poll-wait", "d:wake", "", ""};
    static {
        for (int i = 0; i < 10; i++) { sum[i] = new LongAdder(); n[i] = new LongAdder(); }
        if (ON) Runtime.getRuntime().addShutdownHook(new Thread(TraceTmp::dump));
    }
    static void add(int i, long nanos) { if (ON) { sum[i].add(nanos); n[i].increment(); } }
    static void dump() {
        StringBuilder b = new StringBuilder("TRACE ");
        for (int i = 0; i < 10; i++) if (n[i].sum() > 0) b.append(names[i]).append('=').append(sum[i].sum() / n[i].sum() / 1000).append("us(").append(n[i].sum()).append(") ");
        System.err.println(b);
    }
}
