package dev.flowfn.bench.jmh;

import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.job.internal.SourceEvents;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRequest;
import dev.flowfn.schemas.Topics;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost per event of what the Flowfn job does between reading a Kafka record and handing the encoded
 * outputs to the sink, without Kafka, the Flink runtime or the handler (a no-op): each benchmark
 * runs a batch of {@value DispatchState#BATCH} events, as the job has many in flight, and reports
 * time per event. {@link #perEvent} is the whole path; the others are its parts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {

    /** Decode the record into an Event and match it against the registry (the matcher's work). */
    @Benchmark
    @OperationsPerInvocation(DispatchState.BATCH)
    public void decodeAndMatch(DispatchState s, Blackhole bh) {
        for (var record : s.records) {
            Event event = SourceEvents.toEvent(record);
            for (FunctionSpec spec : s.index.forTopic(record.topic)) {
                bh.consume(SourceEvents.request(spec, event));
            }
        }
    }

    /**
     * The keyBy: key string plus Flink's serializer there and back (the request crosses a network
     * channel).
     */
    @Benchmark
    @OperationsPerInvocation(DispatchState.BATCH)
    public void keyByShuffle(DispatchState s, Blackhole bh) throws IOException {
        for (InvocationRequest request : s.requests) {
            bh.consume(shuffle(s, request));
        }
    }

    /**
     * Dispatch: sequencer, lane, handler thread, timeout timer, result and metering records
     * encoded.
     */
    @Benchmark
    @OperationsPerInvocation(DispatchState.BATCH)
    public void dispatch(DispatchState s, Blackhole bh) {
        @SuppressWarnings("unchecked")
        CompletableFuture<List<OutputRecord>>[] futures =
                new CompletableFuture[DispatchState.BATCH];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = s.dispatcher.dispatch(s.requests[i]);
        }
        for (CompletableFuture<List<OutputRecord>> f : futures) {
            bh.consume(f.join());
        }
    }

    /**
     * The whole path: decode, match, keyBy, dispatch, encode, and metering's decode of the attempt
     * record.
     */
    @Benchmark
    @OperationsPerInvocation(DispatchState.BATCH)
    public void perEvent(DispatchState s, Blackhole bh) throws IOException {
        @SuppressWarnings("unchecked")
        CompletableFuture<List<OutputRecord>>[] futures =
                new CompletableFuture[DispatchState.BATCH];
        for (int i = 0; i < futures.length; i++) {
            var record = s.records[i];
            Event event = SourceEvents.toEvent(record);
            for (FunctionSpec spec : s.index.forTopic(record.topic)) {
                futures[i] = s.dispatcher.dispatch(shuffle(s, SourceEvents.request(spec, event)));
            }
        }
        for (CompletableFuture<List<OutputRecord>> f : futures) {
            for (OutputRecord out : f.join()) {
                if (out.topic.equals(Topics.INVOCATIONS)) {
                    bh.consume(OutputRecords.invocation(out));
                } else {
                    bh.consume(out);
                }
            }
        }
    }

    private static InvocationRequest shuffle(DispatchState s, InvocationRequest request)
            throws IOException {
        String key = request.getSpec().getName() + '\u0000' + request.getPartitionKey();
        s.out.clear();
        s.serializer.serialize(request, s.out);
        s.in.setBuffer(s.out.getSharedBuffer(), 0, s.out.length());
        InvocationRequest copy = s.serializer.deserialize(s.in);
        return key.hashCode() == 0 ? request : copy;
    }
}
