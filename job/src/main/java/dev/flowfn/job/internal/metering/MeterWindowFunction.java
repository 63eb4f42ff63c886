package dev.flowfn.job.internal.metering;

import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.MeterWindow;
import java.time.Instant;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's sums into a {@link MeterWindow}. The first firing is revision 0; a late attempt
 * within the allowed lateness fires the window again with the full new totals as the next revision,
 * which replaces the earlier one.
 */
public final class MeterWindowFunction
        extends ProcessWindowFunction<MeterAccumulator, MeterWindow, String, TimeWindow> {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    private static final ValueStateDescriptor<Integer> FIRINGS =
            new ValueStateDescriptor<>("firings", Integer.class);

    @Override
    public void process(
            String key, Context ctx, Iterable<MeterAccumulator> sums, Collector<MeterWindow> out)
            throws Exception {
        MeterAccumulator acc = sums.iterator().next();
        ValueState<Integer> firings = ctx.windowState().getState(FIRINGS);
        int revision = firings.value() == null ? 0 : firings.value();
        firings.update(revision + 1);
        int at = key.lastIndexOf('@');
        out.collect(
                window(
                        key.substring(0, at),
                        Long.parseLong(key.substring(at + 1)),
                        ctx.window().getStart(),
                        ctx.window().getEnd(),
                        revision,
                        false,
                        acc));
    }

    @Override
    public void clear(Context ctx) throws Exception {
        ctx.windowState().getState(FIRINGS).clear();
    }

    static MeterWindow window(
            String function,
            long version,
            long start,
            long end,
            int revision,
            boolean late,
            MeterAccumulator acc) {
        return MeterWindow.newBuilder()
                .setFunction(function)
                .setVersion(version)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setRevision(revision)
                .setLate(late)
                .setInvocations(acc.invocations)
                .setErrors(acc.errors)
                .setThrottles(0)
                .setDeadLetters(acc.deadLetters)
                .setBilledMs(acc.billedMs)
                .setMbMs(acc.mbMs)
                .setP50Ms(acc.percentile(0.50))
                .setP99Ms(acc.percentile(0.99))
                .setMaxMs(acc.maxMs)
                .build();
    }
}
