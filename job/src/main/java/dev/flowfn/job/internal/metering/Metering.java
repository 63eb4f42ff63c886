package dev.flowfn.job.internal.metering;

import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.MeterWindow;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * Exact metering inside the exactly-once pipeline: the function group operator sums every attempt
 * into partials per function version and window (in its checkpointed state); this step merges the
 * partials of all parallel instances into one {@link MeterWindow} per function version and window,
 * in event-time tumbling windows with their state in checkpoints, so a crash neither loses nor
 * double-counts an attempt.
 */
public final class Metering {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    /** The partial sums, as the function group operator emits them. */
    public static final OutputTag<MeterPartial> PARTIALS =
            new OutputTag<>("meter-partials", TypeInformation.of(MeterPartial.class));

    private static final OutputTag<MeterPartial> LATE =
            new OutputTag<>("late-partials", TypeInformation.of(MeterPartial.class));
    private static final AvroTypeInfo<MeterWindow> WINDOWS = new AvroTypeInfo<>(MeterWindow.class);

    /**
     * How long a partly filled network buffer waits on the metering edges before it is sent:
     * Flink's default. The job's own (1 ms on {@code flowfn local}, so an invocation's records
     * cross its one shuffle at once) would wake each sending task's flusher thread a thousand times
     * a second; on these edges, that kept about a fifth of a core busy on an idle platform, for
     * windows that close once a minute.
     */
    public static final long BUFFER_TIMEOUT_MS = 100;

    /** The encoded windows for the sink, and the windows as they are (for alert rules). */
    public record Streams(DataStream<OutputRecord> outputs, DataStream<MeterWindow> windows) {}

    /** Merges the partials into metering windows. */
    public static Streams apply(
            DataStream<MeterPartial> partials,
            Duration window,
            Duration lateness,
            Duration maxDelay) {
        SingleOutputStreamOperator<MeterWindow> windows =
                partials.assignTimestampsAndWatermarks(new WallClockWatermarks(maxDelay))
                        .uid("metering-time")
                        .setBufferTimeout(BUFFER_TIMEOUT_MS)
                        .keyBy(MeterPartial::versionKey)
                        .window(TumblingEventTimeWindows.of(window))
                        .allowedLateness(lateness)
                        .sideOutputLateData(LATE)
                        .aggregate(
                                new MeterAggregate(),
                                new MeterWindowFunction(),
                                TypeInformation.of(MeterAccumulator.class),
                                TypeInformation.of(MeterAccumulator.class),
                                WINDOWS)
                        .uid("metering-windows")
                        .name("metering windows")
                        .setBufferTimeout(BUFFER_TIMEOUT_MS);
        long size = window.toMillis();
        DataStream<MeterWindow> late =
                windows.getSideOutput(LATE)
                        .map(
                                p ->
                                        MeterWindowFunction.window(
                                                p.function,
                                                p.version,
                                                p.windowStart,
                                                p.windowStart + size,
                                                0,
                                                true,
                                                p.sums))
                        .returns(WINDOWS)
                        .uid("metering-late")
                        .name("late partials")
                        .setBufferTimeout(BUFFER_TIMEOUT_MS);
        // each stream encoded before the union, so that each encoder chains to the windows' task
        // (an operator after a union has two inputs and runs in a task of its own)
        DataStream<OutputRecord> encoded =
                encode(windows, "metering-encode").union(encode(late, "metering-late-encode"));
        DataStream<MeterWindow> all = windows.union(late);
        return new Streams(encoded, all);
    }

    private static SingleOutputStreamOperator<OutputRecord> encode(
            DataStream<MeterWindow> windows, String uid) {
        return windows.map(OutputRecords::meterWindow)
                .returns(TypeInformation.of(OutputRecord.class))
                .uid(uid)
                .name("encode metering")
                .setBufferTimeout(BUFFER_TIMEOUT_MS);
    }

    private Metering() {}
}
