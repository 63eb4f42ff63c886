package dev.flowfn.job.internal.alerts;

import dev.flowfn.job.internal.RegistryState;
import dev.flowfn.job.internal.RegistryUpdate;
import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AlertRule;
import dev.flowfn.schemas.AlertState;
import dev.flowfn.schemas.Alias;
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
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Evaluates a function's alert rules on its metering windows (keyed by function). A rule fires once
 * when it starts to hold over its period and resolves once when it stops. State (recent windows,
 * which rules fire) is checkpointed: a restore neither repeats nor loses an alert.
 *
 * <p>Two sources of truth, kept apart so they cannot contradict each other:
 *
 * <ul>
 *   <li>Windows: each arriving window (or revision of one) re-evaluates the rules over the period
 *       ending at the newest window end seen so far. That end never moves back, so a revision of an
 *       older window updates the sums of the current period instead of reopening an older one.
 *   <li>Quiet: a function whose windows stop coming is re-evaluated by a wall-clock timer, so its
 *       alert resolves without traffic; but only once no window has arrived for a whole period plus
 *       {@code windowArrival} (how long after its end a window reaches this operator). A timer that
 *       fires while windows are still due would judge a period whose windows are in flight.
 * </ul>
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
    private transient ValueState<Long> evaluatedUpTo; // newest window end judged
    private transient ValueState<Long> lastArrival; // wall-clock time the last window came

    private final long windowArrivalMillis;

    /**
     * @param windowArrival the longest a metering window takes to arrive after its end (the
     *     metering watermark delay plus slack)
     */
    public AlertFunction(Duration windowArrival) {
        this.windowArrivalMillis = windowArrival.toMillis();
    }

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
        evaluatedUpTo =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("alert-evaluated-up-to", Types.LONG));
        lastArrival =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("alert-last-arrival", Types.LONG));
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
                RegistryState.get(
                        ctx.getBroadcastState(RegistryState.DESCRIPTOR), ctx.getCurrentKey());
        long now = Math.max(w.getWindowEnd().toEpochMilli(), orZero(evaluatedUpTo.value()));
        evaluatedUpTo.update(now);
        evaluate(spec, rules(spec), now, out);
        evaluateRollbacks(spec, now, out);
        long arrival = ctx.timerService().currentProcessingTime();
        lastArrival.update(arrival);
        for (AlertRule rule : rules(spec)) {
            // wall-clock timers: a quiet function's windows stop coming, so its firing rule must
            // be re-checked without one
            ctx.timerService().registerProcessingTimeTimer(quietAfter(arrival, rule));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        FunctionSpec spec =
                RegistryState.get(
                        ctx.getBroadcastState(RegistryState.DESCRIPTOR), ctx.getCurrentKey());
        long arrival = orZero(lastArrival.value());
        List<AlertRule> all = rules(spec);
        List<AlertRule> quiet = new ArrayList<>();
        for (AlertRule rule : all) {
            if (quietAfter(arrival, rule) <= timestamp) {
                quiet.add(rule);
            }
        }
        // every window that ended by then has arrived: judge the period ending there
        long now = Math.max(timestamp - windowArrivalMillis, orZero(evaluatedUpTo.value()));
        evaluate(spec, quiet, now, out);
        if (quiet.size() == all.size()) {
            evaluatedUpTo.update(now);
        }
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

    /** When a function whose last window arrived at {@code arrival} counts as quiet for a rule. */
    private long quietAfter(long arrival, AlertRule rule) {
        return arrival + rule.period().toMillis() + windowArrivalMillis;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    @Override
    public void processBroadcastElement(RegistryUpdate update, Context ctx, Collector<Alert> out)
            throws Exception {
        RegistryState.apply(update, ctx.getBroadcastState(RegistryState.DESCRIPTOR));
    }

    /** Evaluates every rule over the windows ending in (now - period, now]. */
    private void evaluate(FunctionSpec spec, List<AlertRule> rules, long now, Collector<Alert> out)
            throws Exception {
        for (AlertRule rule : rules) {
            long from = now - rule.period().toMillis();
            AlertRule.Sums sums = sums(from, now, -1);
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

    /**
     * An alias split with a {@code rollbackOn} rule: the rule is judged on the canary version's
     * windows since the split began, and fires once per split. The alert names the alias in {@code
     * rollback}; the control server moves the alias back when it reads it.
     */
    private void evaluateRollbacks(FunctionSpec spec, long now, Collector<Alert> out)
            throws Exception {
        if (spec == null) {
            return;
        }
        for (Alias alias : spec.getAliases()) {
            Long canary = alias.getCanaryVersion();
            if (canary == null || alias.getRollbackOn() == null) {
                continue;
            }
            AlertRule rule;
            try {
                rule = AlertRule.parse(alias.getRollbackOn());
            } catch (InvalidSpecException e) {
                continue; // validated when the alias was set
            }
            long since = alias.getMovedAt().toEpochMilli();
            String key =
                    "rollback|" + alias.getName() + "|" + canary + "|" + since + "|" + rule.text();
            if (Boolean.TRUE.equals(firing.get(key))) {
                continue;
            }
            long from = Math.max(now - rule.period().toMillis(), since);
            AlertRule.Sums sums = sums(from, now, canary);
            if (rule.breached(sums)) {
                firing.put(key, true);
                out.collect(
                        Alert.newBuilder()
                                .setFunction(spec.getName())
                                .setVersion(canary)
                                .setRule(rule.text())
                                .setState(AlertState.FIRING)
                                .setValue(rule.measured(sums))
                                .setWindowStart(Instant.ofEpochMilli(from))
                                .setWindowEnd(Instant.ofEpochMilli(now))
                                .setWebhook(spec.getAlertWebhook())
                                .setRollback(alias.getName())
                                .build());
            }
        }
    }

    /** The sums of the windows ending in (from, now], of one version or (-1) of all. */
    private AlertRule.Sums sums(long from, long now, long version) throws Exception {
        long invocations = 0;
        long errors = 0;
        long throttles = 0;
        long deadLetters = 0;
        long p99 = 0;
        for (MeterWindow w : windows.values()) {
            long end = w.getWindowEnd().toEpochMilli();
            if (end > from && end <= now && (version < 0 || w.getVersion() == version)) {
                invocations += w.getInvocations();
                errors += w.getErrors();
                throttles += w.getThrottles();
                deadLetters += w.getDeadLetters();
                p99 = Math.max(p99, w.getP99Ms());
            }
        }
        return new AlertRule.Sums(invocations, errors, throttles, deadLetters, p99);
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
