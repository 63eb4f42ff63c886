package dev.flowfn.job.internal.alerts;

import dev.flowfn.job.internal.RegistryState;
import dev.flowfn.job.internal.RegistryUpdate;
import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AlertRule;
import dev.flowfn.schemas.AlertState;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvalidSpecException;
import dev.flowfn.schemas.MeterWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Evaluates a function's alert rules on its metering windows (keyed by function). A rule fires once
 * when it starts to hold over its period and resolves once when it stops; a function that goes
 * quiet is re-evaluated by a timer, so its alert resolves without traffic. State (recent windows,
 * which rules fire) is checkpointed: a restore neither repeats nor loses an alert.
 */
public final class AlertFunction
        extends KeyedBroadcastProcessFunction<String, MeterWindow, RegistryUpdate, Alert> {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    private static final Duration KEEP = Duration.ofHours(2);

    private transient MapState<String, MeterWindow>
            windows; // by version@start; late ones by version@start@late#n
    private transient MapState<String, Boolean> firing;

    @Override
    public void open(OpenContext openContext) {
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "alert-windows",
                                        Types.STRING,
                                        new AvroTypeInfo<>(MeterWindow.class)));
        firing =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "alert-firing", Types.STRING, Types.BOOLEAN));
    }

    @Override
    public void processElement(MeterWindow w, ReadOnlyContext ctx, Collector<Alert> out)
            throws Exception {
        String key = w.getVersion() + "@" + w.getWindowStart().toEpochMilli();
        if (w.getLate()) {
            key += "@late#" + w.hashCode() + "#" + w.getInvocations();
        } else {
            MeterWindow earlier = windows.get(key);
            if (earlier != null && earlier.getRevision() > w.getRevision()) {
                return;
            }
        }
        windows.put(key, w);
        FunctionSpec spec =
                ctx.getBroadcastState(RegistryState.DESCRIPTOR).get(ctx.getCurrentKey());
        long end = w.getWindowEnd().toEpochMilli();
        evaluate(spec, end, out);
        for (AlertRule rule : rules(spec)) {
            // wall-clock timers: metering time follows the wall clock, and a quiet function's
            // windows stop coming, so its firing rule must be re-checked without one
            ctx.timerService()
                    .registerProcessingTimeTimer(
                            Math.max(end, ctx.timerService().currentProcessingTime())
                                    + rule.period().toMillis());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        evaluate(
                ctx.getBroadcastState(RegistryState.DESCRIPTOR).get(ctx.getCurrentKey()),
                timestamp,
                out);
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, MeterWindow> e : windows.entries()) {
            if (e.getValue().getWindowEnd().toEpochMilli() < timestamp - KEEP.toMillis()) {
                old.add(e.getKey());
            }
        }
        for (String k : old) {
            windows.remove(k);
        }
    }

    @Override
    public void processBroadcastElement(RegistryUpdate update, Context ctx, Collector<Alert> out)
            throws Exception {
        RegistryState.apply(update, ctx.getBroadcastState(RegistryState.DESCRIPTOR));
    }

    /** Evaluates every rule over the windows ending in (now - period, now]. */
    private void evaluate(FunctionSpec spec, long now, Collector<Alert> out) throws Exception {
        for (AlertRule rule : rules(spec)) {
            long invocations = 0;
            long errors = 0;
            long throttles = 0;
            long deadLetters = 0;
            long p99 = 0;
            long from = now - rule.period().toMillis();
            for (MeterWindow w : windows.values()) {
                long end = w.getWindowEnd().toEpochMilli();
                if (end > from && end <= now) {
                    invocations += w.getInvocations();
                    errors += w.getErrors();
                    throttles += w.getThrottles();
                    deadLetters += w.getDeadLetters();
                    p99 = Math.max(p99, w.getP99Ms());
                }
            }
            AlertRule.Sums sums =
                    new AlertRule.Sums(invocations, errors, throttles, deadLetters, p99);
            boolean breached = rule.breached(sums);
            boolean wasFiring = Boolean.TRUE.equals(firing.get(rule.text()));
            if (breached != wasFiring) {
                firing.put(rule.text(), breached);
                out.collect(
                        Alert.newBuilder()
                                .setFunction(spec.getName())
                                .setVersion(spec.getVersion())
                                .setRule(rule.text())
                                .setState(breached ? AlertState.FIRING : AlertState.RESOLVED)
                                .setValue(rule.measured(sums))
                                .setWindowStart(Instant.ofEpochMilli(from))
                                .setWindowEnd(Instant.ofEpochMilli(now))
                                .setWebhook(spec.getAlertWebhook())
                                .build());
            }
        }
    }

    private static List<AlertRule> rules(FunctionSpec spec) {
        List<AlertRule> rules = new ArrayList<>();
        if (spec != null) {
            for (String text : spec.getAlerts()) {
                try {
                    rules.add(AlertRule.parse(text));
                } catch (InvalidSpecException e) {
                    // validated at deploy; a rule this version cannot read is skipped
                }
            }
        }
        return rules;
    }
}
