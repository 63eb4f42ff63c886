package dev.flowfn.bench.jmh;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Jars;
import dev.flowfn.bench.infra.NoopCode;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.SourceEvents;
import dev.flowfn.job.internal.SourceKeys;
import dev.flowfn.job.internal.SourceRecord;
import dev.flowfn.job.internal.TriggerIndex;
import dev.flowfn.job.internal.dispatch.DispatchRuntime;
import dev.flowfn.job.internal.dispatch.FlinkDispatchMetrics;
import dev.flowfn.job.internal.dispatch.FunctionGroup;
import dev.flowfn.job.internal.dispatch.Invocation;
import dev.flowfn.job.internal.metering.MeterPartials;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.TriggerSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The function group operator's per-event machinery outside Kafka and the Flink runtime, built from
 * the job's own classes as the operator builds them: the trigger index with {@link #functions}
 * deployed functions (one of them on the benchmark's topic), a {@link FunctionGroup} on a {@link
 * DispatchRuntime} with the job's Flink metrics (on an unregistered group), the code loader reading
 * a no-op function's jar, the metering partial sums, and Flink's serializer for the records
 * crossing the keyBy (the job's only shuffle). Before measuring, the no-op function runs in its
 * lane until it is measured fast and runs inline, as in the job.
 */
@State(Scope.Benchmark)
public class DispatchState {

    public static final int BATCH = 1000;
    public static final String TOPIC = "bench.tp";

    @Param({"1", "10000"})
    public int functions;

    TriggerIndex index;
    SourceRecord[] records;
    FunctionGroup group;
    MeterPartials partials;
    TypeSerializer<SourceRecord> serializer;
    final SourceKeys keys = new SourceKeys();
    final DataOutputSerializer out = new DataOutputSerializer(1024);
    final DataInputDeserializer in = new DataInputDeserializer();

    /** Where the group's outputs go while measuring (set by each benchmark). */
    Blackhole sink;

    private final AtomicBoolean completions = new AtomicBoolean();
    private DispatchRuntime runtime;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        FlowfnSchemas.trustGeneratedClasses();
        dir = Files.createTempDirectory("flowfn-jmh");
        byte[] jar = Jars.of(Noop.class);
        Path jarFile = dir.resolve("noop.jar");
        Files.write(jarFile, jar);
        List<Map.Entry<String, FunctionSpec>> specs = new ArrayList<>();
        for (int i = 0; i < functions; i++) {
            FunctionSpec spec =
                    spec(
                            "fn-" + i,
                            i == 0 ? TOPIC : "topic-" + i,
                            jarFile.toUri().toString(),
                            Jars.sha256(jar));
            specs.add(new AbstractMap.SimpleEntry<>(spec.getName(), spec));
        }
        index = new TriggerIndex();
        index.putAll(specs);
        records = new SourceRecord[BATCH];
        for (int i = 0; i < BATCH; i++) {
            records[i] =
                    new SourceRecord(
                            TOPIC,
                            i % 2,
                            i,
                            System.currentTimeMillis(),
                            ("k" + i).getBytes(StandardCharsets.UTF_8),
                            Events.payload(System.nanoTime()));
        }
        runtime =
                new DispatchRuntime(
                        new DispatchRuntime.Settings(
                                null,
                                null,
                                null,
                                dir.resolve("cache").toString(),
                                Duration.ofMinutes(10),
                                1000,
                                null,
                                null),
                        "jmh",
                        new FlinkDispatchMetrics(new UnregisteredMetricsGroup()));
        partials = new MeterPartials(60_000);
        group = new FunctionGroup(runtime, new BenchHost(), false, true);
        warmUpUntilInline();
        serializer =
                TypeInformation.of(SourceRecord.class).createSerializer(new SerializerConfigImpl());
    }

    /** Runs invocations through the lane until one comes back inline (as the job does). */
    private void warmUpUntilInline() {
        FunctionSpec spec = index.forTopic(TOPIC).get(0).function().latest();
        for (int i = 0; i < 100_000; i++) {
            int before = emitted;
            group.submit(invocation(spec, records[i % BATCH]));
            if (emitted > before) {
                return;
            }
            drain();
        }
        throw new IllegalStateException("the no-op function never ran inline");
    }

    /** Ends what went to a lane, as the task thread's mailbox would. */
    void drain() {
        while (group.inFlight() > 0) {
            if (completions.getAndSet(false)) {
                group.drainCompletions();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private int emitted;

    /** The invocation the operator makes of a record matched to {@code spec}. */
    static Invocation invocation(FunctionSpec spec, SourceRecord record) {
        Event event = SourceEvents.toEvent(record);
        return new Invocation(
                new String(record.key, StandardCharsets.UTF_8),
                spec,
                event,
                SourceEvents.invocationId(event, spec.getName()),
                SourceEvents.partitionKey(event));
    }

    /** The operator's side of the group: outputs to the benchmark's blackhole, meters summed. */
    private final class BenchHost implements FunctionGroup.Host {
        @Override
        public void emit(OutputRecord record) {
            emitted++;
            if (sink != null) {
                sink.consume(record);
            }
        }

        @Override
        public void metered(
                FunctionSpec spec,
                long endMillis,
                long billedMs,
                boolean success,
                boolean deadLettered) {
            partials.add(spec, endMillis, billedMs, success, deadLettered);
        }

        @Override
        public void later(long delayMillis, Runnable action) {
            throw new IllegalStateException("the no-op function never fails");
        }

        @Override
        public void completionsReady() {
            completions.set(true);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        runtime.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /**
     * A spec as the control server makes it (30 s timeout, concurrency 16, 3 attempts), of runtime
     * {@code java-embedded}.
     */
    static FunctionSpec spec(String name, String topic, String codeUri, String sha) {
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(1)
                .setRuntime(NoopCode.JAVA_EMBEDDED) // the inline path; java would need workers
                .setHandler(Noop.class.getName())
                .setCodeUri(codeUri)
                .setCodeSha256(sha)
                .setMemoryMb(256)
                .setTimeoutMs(30_000)
                .setMaxConcurrency(16)
                .setRetry(RetryPolicy.newBuilder().setMaxAttempts(3).setBackoffMs(200).build())
                .setTriggers(List.of(TriggerSpecs.parse("kafka:topic=" + topic)))
                .setEnv(Map.of())
                .setDeployedAt(Instant.now())
                .build();
    }
}
