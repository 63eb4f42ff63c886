package dev.flowfn.job.internal.metering;

import dev.flowfn.schemas.InvocationRecord;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Sums invocation records into a {@link MeterAccumulator}. */
public final class MeterAggregate
        implements AggregateFunction<InvocationRecord, MeterAccumulator, MeterAccumulator> {

    @Override
    public MeterAccumulator createAccumulator() {
        return new MeterAccumulator();
    }

    @Override
    public MeterAccumulator add(InvocationRecord record, MeterAccumulator acc) {
        acc.add(record);
        return acc;
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
