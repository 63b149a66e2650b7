package org.parsl.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.App;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.DependencyError;
import org.parsl.dataflow.TaskState;
import org.parsl.executors.ThreadPoolExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MonitoringStoreTest {

    @TempDir
    Path runDir;

    private DataFlowKernel load(int retries) {
        return Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).retries(retries).runDir(runDir).build());
    }

    private static void quietly(AppFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // failures are what these tests record
        }
    }

    @Test
    void recordsEveryStateChangeAndTryOfATask() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        MonitoringStore store = MonitoringStore.builder().build();
        try (DataFlowKernel dfk = load(1)) {
            dfk.addListener(store);
            AppFuture<String> f = App.of(dfk, () -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("first try fails");
                }
                return "ok";
            }).call();
            assertThat(f.get()).isEqualTo("ok");

            List<MonitoringRecord> records = store.records(f.taskId());
            assertThat(records).extracting(MonitoringStoreTest::describe).containsExactly(
                    "null>PENDING", "PENDING>LAUNCHED", "LAUNCHED>RUNNING",
                    "try0 cpu java.lang.IllegalStateException: first try fails",
                    "RUNNING>LAUNCHED", "LAUNCHED>RUNNING", "try1 cpu ok", "RUNNING>EXEC_DONE");
            assertThat(records).extracting(MonitoringRecord::sequence).isSorted();
            TaskTryRecord ok = (TaskTryRecord) records.get(6);
            assertThat(ok.function()).isEqualTo(records.get(0).function());
            assertThat(ok.runTime()).isPositive();
            assertThat(store.recentFailures()).isEmpty();
        } finally {
            store.close();
        }
    }

    private static String describe(MonitoringRecord r) {
        if (r instanceof TaskStatusRecord s) {
            return s.from() + ">" + s.to();
        }
        TaskTryRecord t = (TaskTryRecord) r;
        return "try" + t.tryNumber() + " " + t.executor() + " " + (t.exception() == null ? "ok" : t.exception() + ": " + t.message());
    }

    @Test
    void keepsTheMostRecentFailuresNewestFirstInABoundedRing() {
        MonitoringStore store = MonitoringStore.builder().recentFailures(3).build();
        try (DataFlowKernel dfk = load(0)) {
            dfk.addListener(store);
            App<Integer> fail = App.of(dfk, (Integer x) -> {
                throw new IllegalArgumentException("bad " + x);
            });
            AppFuture<Integer> last = null;
            for (int i = 1; i <= 5; i++) {
                last = fail.call(i);
                quietly(last);
            }
            AppFuture<Integer> dependent = App.of(dfk, (Integer x) -> x).call(last);
            quietly(dependent);

            assertThat(store.failureCount()).isEqualTo(6);
            List<TaskFailure> failures = store.recentFailures();
            assertThat(failures).hasSize(3);
            assertThat(failures.get(0).taskId()).isEqualTo(dependent.taskId());
            assertThat(failures.get(0).state()).isEqualTo(TaskState.DEP_FAIL);
            assertThat(failures.get(0).exception()).isEqualTo(DependencyError.class.getName());
            assertThat(failures.get(1).taskId()).isEqualTo(last.taskId());
            assertThat(failures.get(1).state()).isEqualTo(TaskState.FAILED);
            assertThat(failures.get(1).exception()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(failures.get(1).message()).isEqualTo("bad 5");
            assertThat(failures.get(1).executor()).isEqualTo("cpu");
            assertThat(failures.get(1).tries()).isEqualTo(1);
            assertThat(failures.get(2).message()).isEqualTo("bad 4");
        } finally {
            store.close();
        }
    }

    @Test
    void keepsOnlyTheLastRecordsUpToItsCapacity() {
        MonitoringStore store = MonitoringStore.builder().capacity(10).build();
        try (DataFlowKernel dfk = load(0)) {
            dfk.addListener(store);
            App<Integer> inc = App.of(dfk, (Integer x) -> x + 1);
            for (int i = 0; i < 20; i++) {
                quietly(inc.call(i));
            }
            assertThat(store.recordCount()).isEqualTo(20 * 5); // 4 state changes and 1 try each
            assertThat(store.records()).hasSize(10);
            assertThat(store.records()).extracting(MonitoringRecord::sequence).containsExactly(
                    90L, 91L, 92L, 93L, 94L, 95L, 96L, 97L, 98L, 99L);
            assertThat(store.records(1)).isEmpty();
        } finally {
            store.close();
        }
    }

    @Test
    void writesEveryRecordAsAJsonLineInTheRunDirectory() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        try (DataFlowKernel dfk = load(0)) {
            Path file = dfk.runDir().resolve("monitoring.jsonl");
            MonitoringStore store = MonitoringStore.builder().jsonLines(file).build();
            dfk.addListener(store);
            quietly(App.of(dfk, (Integer x) -> x + 1).call(1));
            quietly(App.of(dfk, (Integer x) -> {
                throw new IllegalStateException("boom");
            }).call(2));
            dfk.removeListener(store);
            store.close();

            assertThat(store.jsonLinesFile()).contains(file);
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(10);
            JsonNode first = json.readTree(lines.get(0));
            assertThat(first.get("kind").asString()).isEqualTo("status");
            assertThat(first.get("taskId").asLong()).isEqualTo(1);
            assertThat(first.get("to").asString()).isEqualTo("PENDING");
            assertThat(first.get("time").asString()).endsWith("Z");
            JsonNode failedTry = lines.stream().map(json::readTree)
                    .filter(n -> n.get("kind").asString().equals("try") && n.get("taskId").asLong() == 2)
                    .findFirst().orElseThrow();
            assertThat(failedTry.get("exception").asString()).isEqualTo("java.lang.IllegalStateException");
            assertThat(failedTry.get("message").asString()).isEqualTo("boom");
            assertThat(failedTry.get("executor").asString()).isEqualTo("cpu");
            assertThat(json.readValue(lines.get(0), MonitoringRecord.class)).isInstanceOf(TaskStatusRecord.class);
            assertThat(store.droppedFromFile()).isZero();
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> MonitoringStore.builder().capacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity is 0");
        assertThatThrownBy(() -> MonitoringStore.builder().recentFailures(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recentFailures is -1");
    }
}
