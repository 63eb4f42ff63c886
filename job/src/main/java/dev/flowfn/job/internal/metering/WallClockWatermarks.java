package dev.flowfn.job.internal.metering;

import dev.flowfn.schemas.InvocationRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for metering is when an attempt ended, which is close to now when its record reaches
 * the window. The watermark follows the wall clock minus {@code maxDelay}, so windows close on time
 * even for functions that went quiet; an attempt that arrives later than that is late and handled
 * by allowed lateness, never dropped.
 */
public final class WallClockWatermarks implements WatermarkStrategy<InvocationRecord> {

    private final long maxDelayMillis;

    public WallClockWatermarks(Duration maxDelay) {
        this.maxDelayMillis = maxDelay.toMillis();
    }

    @Override
    public WatermarkGenerator<InvocationRecord> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(
                    InvocationRecord event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(System.currentTimeMillis() - maxDelayMillis));
            }
        };
    }

    @Override
    public TimestampAssigner<InvocationRecord> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (record, previous) -> record.getEndMicros() / 1000;
    }
}
