package org.parsl.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DecoratedCallsTest {

    @Test
    void theDecoratorWrapsOnceAndEveryCallRunsInsideIt() throws Exception {
        AtomicInteger applied = new AtomicInteger();
        List<String> events = new ArrayList<>();
        DecoratedCalls calls = new DecoratedCalls(body -> {
            applied.incrementAndGet();
            return () -> {
                events.add("before");
                body.run();
                events.add("after");
            };
        });

        assertThat(calls.call(() -> {
            events.add("first");
            return 1;
        })).isEqualTo(1);
        assertThat(calls.call(() -> "two")).isEqualTo("two");

        assertThat(applied).hasValue(1);
        assertThat(events).containsExactly("before", "first", "after", "before", "after");
    }

    @Test
    void aBodysExceptionOrErrorComesOutUnchangedAndTheNextCallStartsClean() throws Exception {
        DecoratedCalls calls = new DecoratedCalls(body -> body);
        IOException checked = new IOException("disk");
        AssertionError error = new AssertionError("bug");

        assertThatThrownBy(() -> calls.call(() -> {
            throw checked;
        })).isSameAs(checked);
        assertThatThrownBy(() -> calls.call(() -> {
            throw error;
        })).isSameAs(error);
        assertThat(calls.call(() -> null)).isNull();
    }

    @Test
    void aDecoratorThatReturnsNullIsRefusedAtOnce() {
        assertThatThrownBy(() -> new DecoratedCalls(body -> null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("decorator returned null");
    }
}
