package dev.flowfn.bench.jmh;

import dev.flowfn.job.internal.SourceEvents;
import dev.flowfn.job.internal.SourceRecord;
import dev.flowfn.job.internal.Target;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost per event of what the Flowfn job does between reading a Kafka record and handing the encoded
 * outputs to the sink, without Kafka or the Flink runtime, with a no-op handler: the path of the
 * function group operator. Each benchmark runs a batch of {@value DispatchState#BATCH} events and
 * reports time per event. {@link #perEvent} is the whole path; the others are its parts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {

    /** Decode the record into an Event and match it against the registry. */
    @Benchmark
    @OperationsPerInvocation(DispatchState.BATCH)
    public void decodeAndMatch(DispatchState s, Blackhole bh) {
        for (SourceRecord record : s.records) {
            Event event = SourceEvents.toEvent(record);
            List<Target> targets = s.index.matching(record.topic, event);
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                bh.consume(t.function().resolve(t.qualifier(), SourceEvents.partitionKey(event)));
            }
        }
    }

    /** The keyBy: the key, and Flink's serializer there and back (the record crosses a channel). */
    @Benchmark
    @OperationsPerInvocation(DispatchState.BATCH)
    public void keyByShuffle(DispatchState s, Blackhole bh) throws Exception {
        for (SourceRecord record : s.records) {
            bh.consume(shuffle(s, record));
        }
    }

    /**
     * Dispatch of matched invocations: queue per key, inline run of the no-op handler, result
     * encoded, attempt added to the metering partial sums.
     */
    @Benchmark
    @OperationsPerInvocation(DispatchState.BATCH)
    public void dispatch(DispatchState s, Blackhole bh) {
        s.sink = bh;
        FunctionSpec spec = s.index.forTopic(DispatchState.TOPIC).get(0).function().latest();
        for (SourceRecord record : s.records) {
            s.group.submit(DispatchState.invocation(spec, record));
        }
        checkIdle(s);
    }

    /** The whole path: keyBy, decode, match, dispatch, encode, meter. */
    @Benchmark
    @OperationsPerInvocation(DispatchState.BATCH)
    public void perEvent(DispatchState s, Blackhole bh) throws Exception {
        s.sink = bh;
        for (SourceRecord sent : s.records) {
            SourceRecord record = shuffle(s, sent);
            Event event = SourceEvents.toEvent(record);
            List<Target> targets = s.index.matching(record.topic, event);
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                FunctionSpec spec =
                        t.function().resolve(t.qualifier(), SourceEvents.partitionKey(event));
                s.group.submit(
                        new dev.flowfn.job.internal.dispatch.Invocation(
                                s.keys.getKey(record),
                                spec,
                                event,
                                SourceEvents.invocationId(event, spec.getName()),
                                SourceEvents.partitionKey(event)));
            }
        }
        checkIdle(s);
    }

    /**
     * Waits for invocations that went to a lane (a slow inline run, e.g. a GC pause, moves the
     * function back there for a while): their time counts.
     */
    private static void checkIdle(DispatchState s) {
        s.drain();
    }

    private static SourceRecord shuffle(DispatchState s, SourceRecord record) throws IOException {
        String key = s.keys.getKey(record);
        s.out.clear();
        s.serializer.serialize(record, s.out);
        s.in.setBuffer(s.out.getSharedBuffer(), 0, s.out.length());
        SourceRecord copy = s.serializer.deserialize(s.in);
        return key.hashCode() == 0 ? record : copy;
    }
}
