package dev.flowfn.job.internal.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.job.internal.RegistryState;
import dev.flowfn.job.internal.RegistryUpdate;
import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AlertState;
import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.MeterWindow;
import dev.flowfn.schemas.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alert rules over metering windows: one FIRING and one RESOLVED per episode, never a flap. */
class AlertFunctionTest {

    private static final Duration ARRIVAL = Duration.ofMillis(1_500);
    private static final long T0 = 1_000_000; // a window boundary (2 s windows)

    private KeyedBroadcastOperatorTestHarness<String, MeterWindow, RegistryUpdate, Alert> harness;

    @BeforeEach
    void start() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new AlertFunction(ARRIVAL),
                        MeterWindow::getFunction,
                        Types.STRING,
                        RegistryState.DESCRIPTOR);
        FunctionSpec spec =
                FunctionSpec.newBuilder()
                        .setName("flaky")
                        .setVersion(1)
                        .setHandler("x.Flaky")
                        .setCodeUri("s3://code/flaky/1.jar")
                        .setCodeSha256("00")
                        .setMemoryMb(128)
                        .setTimeoutMs(1_000)
                        .setMaxConcurrency(1)
                        .setRetry(
                                RetryPolicy.newBuilder().setMaxAttempts(1).setBackoffMs(0).build())
                        .setTriggers(List.of())
                        .setEnv(Map.of())
                        .setAlerts(List.of("error-rate>50%/2s"))
                        .setDeployedAt(Instant.EPOCH)
                        .build();
        harness.processBroadcastElement(
                new RegistryUpdate("flaky", AvroCodec.of(FunctionSpec.class).encode(spec)), 0);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void aTimerDoesNotJudgeAPeriodWhoseWindowIsStillInFlight() throws Exception {
        arrive(T0 + 2_000, window(T0, 10, 10, 0)); // all failed
        // the next window is due; the quiet check must not resolve before it had time to come
        harness.setProcessingTime(T0 + 2_000 + 2_000 + ARRIVAL.toMillis() - 1);
        arrive(T0 + 4_000 + ARRIVAL.toMillis() - 1, window(T0 + 2_000, 10, 8, 0)); // still failing
        arrive(T0 + 6_600, window(T0 + 4_000, 10, 0, 0)); // healthy
        harness.setProcessingTime(T0 + 60_000); // quiet long since

        assertThat(states()).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void aRevisionOfAnOlderWindowDoesNotReopenItsPeriod() throws Exception {
        arrive(T0 + 2_500, window(T0, 10, 10, 0));
        arrive(T0 + 4_500, window(T0 + 2_000, 10, 0, 0));
        // late attempts revise the first window; its period is over, the alert stays resolved
        arrive(T0 + 4_600, window(T0, 20, 20, 1));

        assertThat(states()).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void aQuietFunctionResolvesWithoutTraffic() throws Exception {
        arrive(T0 + 2_500, window(T0, 10, 10, 0));
        harness.setProcessingTime(T0 + 2_500 + 2_000 + ARRIVAL.toMillis() - 1);
        assertThat(states()).containsExactly(AlertState.FIRING);

        harness.setProcessingTime(T0 + 2_500 + 2_000 + ARRIVAL.toMillis());
        assertThat(states()).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(harness.extractOutputValues().get(1).getValue()).isEqualTo("0%");
    }

    @Test
    void aCanaryFailingItsRollbackRuleAsksOnceForTheAliasToMoveBack() throws Exception {
        FunctionSpec v1 = harnessSpec(1);
        FunctionSpec head =
                FunctionSpec.newBuilder(harnessSpec(2))
                        .setAlerts(List.of())
                        .setHistory(List.of(v1))
                        .setAliases(
                                List.of(
                                        Alias.newBuilder()
                                                .setName("prod")
                                                .setVersion(1)
                                                .setCanaryVersion(2L)
                                                .setCanaryWeight(10)
                                                .setRollbackOn("error-rate>20%/4s")
                                                .setMovedAt(Instant.ofEpochMilli(T0 + 2_000))
                                                .build()))
                        .build();
        harness.processBroadcastElement(
                new RegistryUpdate("flaky", AvroCodec.of(FunctionSpec.class).encode(head)), 0);
        // before the split began: failures of version 2 do not count
        arrive(T0 + 2_500, window(T0, 2, 10, 10, 0));
        // the stable version's health does not hide the canary's errors
        arrive(T0 + 4_500, window(T0 + 2_000, 1, 100, 0, 0));
        assertThat(harness.extractOutputValues()).isEmpty();
        arrive(T0 + 4_600, window(T0 + 2_000, 2, 10, 5, 0));
        arrive(T0 + 6_500, window(T0 + 4_000, 2, 10, 9, 0));

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).getRollback()).isEqualTo("prod");
        assertThat(alerts.get(0).getVersion()).isEqualTo(2);
        assertThat(alerts.get(0).getState()).isEqualTo(AlertState.FIRING);
        assertThat(alerts.get(0).getValue()).isEqualTo("50.0%");
    }

    private static FunctionSpec harnessSpec(long version) {
        return FunctionSpec.newBuilder()
                .setName("flaky")
                .setVersion(version)
                .setHandler("x.Flaky")
                .setCodeUri("s3://code/flaky/" + version + ".jar")
                .setCodeSha256("00")
                .setRetry(RetryPolicy.newBuilder().build())
                .setDeployedAt(Instant.EPOCH)
                .build();
    }

    private void arrive(long wallClock, MeterWindow window) throws Exception {
        harness.setProcessingTime(wallClock);
        harness.processElement(window, wallClock);
    }

    private List<AlertState> states() {
        return harness.extractOutputValues().stream().map(Alert::getState).toList();
    }

    private static MeterWindow window(long start, long invocations, long errors, int revision) {
        return window(start, 1, invocations, errors, revision);
    }

    private static MeterWindow window(
            long start, long version, long invocations, long errors, int revision) {
        return MeterWindow.newBuilder()
                .setFunction("flaky")
                .setVersion(version)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(start + 2_000))
                .setRevision(revision)
                .setInvocations(invocations)
                .setErrors(errors)
                .setBilledMs(0)
                .setMbMs(0)
                .setP50Ms(0)
                .setP99Ms(0)
                .setMaxMs(0)
                .build();
    }
}
