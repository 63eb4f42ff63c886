package dev.flowfn.job.internal.metering;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Merges the partial sums of one window, from every parallel instance, into one. */
public final class MeterAggregate
        implements AggregateFunction<MeterPartial, MeterAccumulator, MeterAccumulator> {

    @Override
    public MeterAccumulator createAccumulator() {
        return new MeterAccumulator();
    }

    @Override
    public MeterAccumulator add(MeterPartial partial, MeterAccumulator acc) {
        return acc.merge(partial.sums);
    }

    @Override
    public MeterAccumulator getResult(MeterAccumulator acc) {
        return acc;
    }

    @Override
    public MeterAccumulator merge(MeterAccumulator a, MeterAccumulator b) {
        return a.merge(b);
    }
}
