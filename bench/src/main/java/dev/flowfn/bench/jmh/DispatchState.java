package dev.flowfn.bench.jmh;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Jars;
import dev.flowfn.job.internal.SourceRecord;
import dev.flowfn.job.internal.TriggerIndex;
import dev.flowfn.job.internal.code.CodeFetcher;
import dev.flowfn.job.internal.code.CodeLoader;
import dev.flowfn.job.internal.dispatch.DispatchMetrics;
import dev.flowfn.job.internal.dispatch.Dispatcher;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRequest;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.TriggerSpecs;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The job's per-event machinery outside Kafka and the Flink runtime, built from its own classes as
 * {@code DispatchFunction.open} builds them: the trigger index with {@link #functions} deployed
 * functions (one of them on the benchmark's topic), the dispatcher with a handler pool, a timer
 * thread and the job's Flink metrics (on an unregistered group), the code loader reading a no-op
 * function's jar, and Flink's serializer for the records crossing the keyBy.
 */
@State(Scope.Benchmark)
public class DispatchState {

    public static final int BATCH = 1000;
    public static final String TOPIC = "bench.tp";

    @Param({"1", "10000"})
    public int functions;

    TriggerIndex index;
    SourceRecord[] records;
    InvocationRequest[] requests;
    Dispatcher dispatcher;
    TypeSerializer<InvocationRequest> serializer;
    final DataOutputSerializer out = new DataOutputSerializer(1024);
    final DataInputDeserializer in = new DataInputDeserializer();
    private ExecutorService handlers;
    private ScheduledExecutorService timers;
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
        requests = new InvocationRequest[BATCH];
        for (int i = 0; i < BATCH; i++) {
            records[i] =
                    new SourceRecord(
                            TOPIC,
                            i % 2,
                            i,
                            System.currentTimeMillis(),
                            ("k" + i).getBytes(StandardCharsets.UTF_8),
                            Events.payload(System.nanoTime()));
            requests[i] =
                    dev.flowfn.job.internal.SourceEvents.request(
                            index.forTopic(TOPIC).get(0),
                            dev.flowfn.job.internal.SourceEvents.toEvent(records[i]));
        }
        handlers = Executors.newCachedThreadPool(daemon("jmh-handler"));
        timers = Executors.newSingleThreadScheduledExecutor(daemon("jmh-timer"));
        CodeLoader loader =
                new CodeLoader(
                        new CodeFetcher(dir.resolve("cache"), null),
                        handlers,
                        Duration.ofMinutes(10));
        dispatcher = new Dispatcher(loader, handlers, timers, 1000, flinkMetrics());
        dispatcher.dispatch(requests[0]).join(); // the function's code is loaded before measuring
        serializer =
                TypeInformation.of(InvocationRequest.class)
                        .createSerializer(new SerializerConfigImpl());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        handlers.shutdownNow();
        timers.shutdownNow();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** A spec as the control server makes it: 30 s timeout, concurrency 16, 3 attempts. */
    static FunctionSpec spec(String name, String topic, String codeUri, String sha) {
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(1)
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

    /**
     * The job's per-function Flink metrics (package-private in the job, so made by reflection), on
     * a group that registers nothing; none if that class changed.
     */
    private static DispatchMetrics flinkMetrics() {
        try {
            Class<?> type = Class.forName("dev.flowfn.job.internal.dispatch.FlinkDispatchMetrics");
            Constructor<?> ctor = type.getDeclaredConstructor(MetricGroup.class);
            ctor.setAccessible(true);
            return (DispatchMetrics) ctor.newInstance(new UnregisteredMetricsGroup());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return DispatchMetrics.NONE;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n =
                new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
