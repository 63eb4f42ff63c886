package dev.flowfn.bench.jmh;

import dev.flowfn.bench.infra.Events;
import dev.flowfn.job.internal.SourceEvents;
import dev.flowfn.job.internal.SourceRecord;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.InvocationResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baseline of scenario 6: the least any design with Flowfn's record formats does per event,
 * wrap the Kafka record as an Event and encode one InvocationResult (Avro single-object), on one
 * thread, nothing else.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AvroFloorBenchmark {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private SourceRecord record;

    @Setup
    public void setUp() {
        dev.flowfn.schemas.FlowfnSchemas.trustGeneratedClasses();
        record =
                new SourceRecord(
                        "bench.tp",
                        0,
                        42,
                        System.currentTimeMillis(),
                        "k42".getBytes(StandardCharsets.UTF_8),
                        Events.payload(System.nanoTime()));
    }

    @Benchmark
    public byte[] wrapAndEncode() {
        Event event = SourceEvents.toEvent(record);
        return RESULTS.encode(
                InvocationResult.newBuilder()
                        .setInvocationId(event.getId() + "/fn-0")
                        .setFunction("fn-0")
                        .setVersion(1)
                        .setEventId(event.getId())
                        .setSuccess(true)
                        .setData(ByteBuffer.allocate(0))
                        .setAttempts(1)
                        .setStartMicros(1)
                        .setDurationMicros(1)
                        .build());
    }
}
