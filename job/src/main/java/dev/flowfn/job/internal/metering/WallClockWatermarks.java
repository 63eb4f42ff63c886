package dev.flowfn.job.internal.metering;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for metering is the start of the window a partial sums; partials leave the function
 * group operator as soon as the wall clock passes their window's end. The watermark follows the
 * wall clock minus {@code maxDelay}, so windows close on time even for functions that went quiet; a
 * partial that arrives later than that is late and handled by allowed lateness, never dropped.
 */
public final class WallClockWatermarks implements WatermarkStrategy<MeterPartial> {

    private final long maxDelayMillis;

    public WallClockWatermarks(Duration maxDelay) {
        this.maxDelayMillis = maxDelay.toMillis();
    }

    @Override
    public WatermarkGenerator<MeterPartial> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(MeterPartial event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(System.currentTimeMillis() - maxDelayMillis));
            }
        };
    }

    @Override
    public TimestampAssigner<MeterPartial> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (partial, previous) -> partial.windowStart;
    }
}
