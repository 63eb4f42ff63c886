package dev.flowfn.job.internal.metering;

import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.InvocationRecord;
import dev.flowfn.schemas.MeterWindow;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Exact metering inside the exactly-once pipeline: every attempt's {@link InvocationRecord} from
 * dispatch is summed in event-time tumbling windows per function version, with its state in
 * checkpoints, so a crash neither loses nor double-counts an attempt.
 */
public final class Metering {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    private static final AvroTypeInfo<InvocationRecord> RECORDS =
            new AvroTypeInfo<>(InvocationRecord.class);
    private static final OutputTag<InvocationRecord> METERED = new OutputTag<>("metered", RECORDS);
    private static final OutputTag<InvocationRecord> LATE =
            new OutputTag<>("late-attempts", RECORDS);
    private static final AvroTypeInfo<MeterWindow> WINDOWS = new AvroTypeInfo<>(MeterWindow.class);

    /** The records for the sink, and the metering windows as they are (for alert rules). */
    public record Streams(DataStream<OutputRecord> outputs, DataStream<MeterWindow> windows) {}

    /**
     * Takes the dispatch outputs; returns them (without invocation records unless {@code
     * publishInvocations}) together with the metering windows, all for the sink.
     */
    public static Streams apply(
            DataStream<OutputRecord> dispatched,
            boolean publishInvocations,
            Duration window,
            Duration lateness,
            Duration maxDelay) {
        SingleOutputStreamOperator<OutputRecord> split =
                dispatched
                        .process(new SplitInvocations(publishInvocations))
                        .uid("metering-split")
                        .name("split invocation records");
        SingleOutputStreamOperator<MeterWindow> windows =
                split.getSideOutput(METERED)
                        .assignTimestampsAndWatermarks(new WallClockWatermarks(maxDelay))
                        .uid("metering-time")
                        .keyBy(r -> r.getFunction() + "@" + r.getVersion())
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
                        .name("metering windows");
        long size = window.toMillis();
        DataStream<MeterWindow> late =
                windows.getSideOutput(LATE)
                        .map(
                                r -> {
                                    MeterAccumulator one = new MeterAccumulator();
                                    one.add(r);
                                    long time = r.getEndMicros() / 1000;
                                    long start = time - Math.floorMod(time, size);
                                    return MeterWindowFunction.window(
                                            r.getFunction(),
                                            r.getVersion(),
                                            start,
                                            start + size,
                                            0,
                                            true,
                                            one);
                                })
                        .returns(WINDOWS)
                        .uid("metering-late")
                        .name("late attempts");
        DataStream<MeterWindow> all = windows.union(late);
        DataStream<OutputRecord> encoded =
                all.map(OutputRecords::meterWindow)
                        .returns(TypeInformation.of(OutputRecord.class))
                        .uid("metering-encode")
                        .name("encode metering");
        return new Streams(split.union(encoded), all);
    }

    /** Routes invocation records to metering, and to Kafka only when they are published. */
    private static final class SplitInvocations
            extends ProcessFunction<OutputRecord, OutputRecord> {
        private final boolean publish;

        SplitInvocations(boolean publish) {
            this.publish = publish;
        }

        @Override
        public void processElement(OutputRecord record, Context ctx, Collector<OutputRecord> out) {
            if (record.topic.equals(Topics.INVOCATIONS)) {
                ctx.output(METERED, OutputRecords.invocation(record));
                if (!publish) {
                    return;
                }
            }
            out.collect(record);
        }
    }

    private Metering() {}
}
