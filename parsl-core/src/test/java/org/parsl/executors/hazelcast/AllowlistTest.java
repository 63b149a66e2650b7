package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;

class AllowlistTest {

    private final Allowlist allowlist = new Allowlist(List.of("com.example"), getClass().getClassLoader());

    private Object roundTrip(Object o) throws Exception {
        return allowlist.deserialize(Allowlist.serialize(o));
    }

    @Test
    void jdkValuesAndCollectionsPass() throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("list", new ArrayList<>(List.of(1, 2L, "three", LocalDate.of(2026, 1, 1), new java.math.BigDecimal("1.5"))));
        m.put("array", new int[] {1, 2});
        assertThat(roundTrip(m)).usingRecursiveComparison().isEqualTo(m);
    }

    @Test
    void serializableLambdasOfAllowedPackagesPass() throws Exception {
        int offset = 3;
        TaskFunction<Integer, Integer> f = x -> x + offset;
        @SuppressWarnings("unchecked")
        TaskFunction<Integer, Integer> back = (TaskFunction<Integer, Integer>) roundTrip(f);
        assertThat(back.apply(1)).isEqualTo(4);
    }

    @Test
    void aClassOutsideTheAllowlistIsRejectedNamingItAndTheSetting() {
        java.awt.Point p = new java.awt.Point(1, 2);
        assertThatThrownBy(() -> roundTrip(p))
                .isInstanceOf(Allowlist.NotAllowed.class)
                .hasMessageContaining("java.awt.Point")
                .hasMessageContaining("allowedPackages");
    }

    @Test
    void aLambdaCapturingADisallowedObjectIsRejected() {
        java.awt.Point p = new java.awt.Point(1, 2);
        TaskCallable<Integer> c = () -> p.x;
        assertThatThrownBy(() -> roundTrip(c)).isInstanceOf(Allowlist.NotAllowed.class).hasMessageContaining("java.awt.Point");
    }

    @Test
    void allowedPackagesMatchWholePackageNames() {
        assertThat(allowlist.allows(org.parsl.app.Invocation.class)).isTrue();
        assertThat(new Allowlist(List.of("java.aw"), getClass().getClassLoader()).allows(java.awt.Point.class)).isFalse();
        assertThat(new Allowlist(List.of("java.awt"), getClass().getClassLoader()).allows(java.awt.Point.class)).isTrue();
    }

    @Test
    void streamsAndProxiesAreNotValues() {
        assertThat(allowlist.allows(java.io.FileInputStream.class)).isFalse();
        assertThat(allowlist.allows(java.io.UncheckedIOException.class)).isTrue();
        assertThat(allowlist.allows(java.net.URL.class)).isFalse();
    }

    @Test
    void notSerializableIsReported() {
        assertThatThrownBy(() -> Allowlist.serialize(new Object())).isInstanceOf(IOException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void aTwentySevenByteStreamDeclaringAnIntArrayOfFourHundredMillionIsRefusedBeforeItIsAllocated() {
        byte[] stream = Intruder.hugeIntArrayStream();
        assertThat(stream).hasSize(27);
        assertThatThrownBy(() -> allowlist.deserialize(stream)).isInstanceOf(Allowlist.NotAllowed.class)
                .hasMessageContaining("an array of 400000000 elements in a payload of 27 bytes");
    }

    @Test
    void aGraphBeyondTheJdkLimitsIsRefusedNamingThem() throws Exception {
        List<Object> deep = new ArrayList<>();
        List<Object> at = deep;
        for (int i = 0; i < 300; i++) {
            List<Object> next = new ArrayList<>();
            at.add(next);
            at = next;
        }
        byte[] bytes = Allowlist.serialize(deep);
        assertThatThrownBy(() -> allowlist.deserialize(bytes)).isInstanceOf(Allowlist.NotAllowed.class)
                .hasMessageContaining("too deep");
    }
}
