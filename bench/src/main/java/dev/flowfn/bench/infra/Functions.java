package dev.flowfn.bench.infra;

import dev.flowfn.api.Handler;
import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.fns.Sleep;
import dev.flowfn.bench.fns.Spin;
import dev.flowfn.bench.fns.Stamp;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.TriggerSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Deploys the benchmark's functions as the control server does, minus HTTP: the jar where the job
 * can read it and the spec on {@code flowfn.functions}. Runtime {@code java-embedded} unless a
 * {@link NoopCode} says otherwise (the spec's default, {@code java}, would run each handler in a
 * worker JVM). The jar is a {@code file:} URI (the code store matters only to cold starts, which
 * scenario 5 measures through {@code flowfn local} and its S3 store). Defaults are the control
 * server's: 30 s timeout, concurrency 16, 3 attempts.
 */
public final class Functions implements AutoCloseable {

    /** The function {@link #awaitReady} invokes to learn that a job has the registry. */
    public static final String PROBE = "bench-probe";

    public static final String PROBE_TOPIC = "bench.probe";

    /** What the report says of the runtime of the functions {@link #spec} makes. */
    public static final String EMBEDDED =
            "java-embedded (the handler in the TaskManager's JVM), set in each spec the harness"
                    + " writes to flowfn.functions";

    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);
    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);

    private final BenchKafka kafka;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String codeUri;
    private final String sha256;
    private final Map<String, Long> deployed = new LinkedHashMap<>();
    private long probeVersion;

    public Functions(BenchKafka kafka, Path dir) throws Exception {
        this.kafka = kafka;
        byte[] jar = Jars.of(Noop.class, Stamp.class, Sleep.class, Spin.class);
        Files.createDirectories(dir);
        Path file = dir.resolve("bench-functions.jar");
        Files.write(file, jar);
        this.codeUri = file.toUri().toString();
        this.sha256 = Jars.sha256(jar);
        this.producer = kafka.producer(Map.of());
        kafka.createTopics(List.of(PROBE_TOPIC));
    }

    /**
     * A spec of runtime {@code java-embedded} (the handler runs in the TaskManager), with the
     * control server's defaults and one {@code kafka:topic=} trigger per topic.
     */
    public FunctionSpec.Builder spec(
            String name, Class<? extends Handler> handler, String... topics) {
        return spec(name, NoopCode.JAVA_EMBEDDED, handler.getName(), codeUri, sha256, topics);
    }

    /** A spec of the no-op function in {@code code}'s runtime, otherwise as the one above. */
    public FunctionSpec.Builder spec(String name, NoopCode code, String... topics) {
        return spec(name, code.runtime(), code.handler(), code.codeUri(), code.sha256(), topics);
    }

    private static FunctionSpec.Builder spec(
            String name,
            String runtime,
            String handler,
            String codeUri,
            String sha256,
            String... topics) {
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(1)
                .setRuntime(runtime)
                .setHandler(handler)
                .setCodeUri(codeUri)
                .setCodeSha256(sha256)
                .setMemoryMb(256)
                .setTimeoutMs(30_000)
                .setMaxConcurrency(16)
                .setRetry(RetryPolicy.newBuilder().setMaxAttempts(3).setBackoffMs(200).build())
                .setTriggers(
                        java.util.Arrays.stream(topics)
                                .map(t -> TriggerSpecs.parse("kafka:topic=" + t))
                                .toList())
                .setEnv(Map.of())
                .setDeployedAt(Instant.now());
    }

    /**
     * Writes the specs to the registry (each a new version of its name) and waits for Kafka's ack.
     */
    public void deploy(List<FunctionSpec.Builder> specs) {
        for (FunctionSpec.Builder b : specs) {
            long version = deployed.merge(b.getName(), 1L, Long::sum);
            FunctionSpec spec = b.setVersion(version).setDeployedAt(Instant.now()).build();
            producer.send(
                    new ProducerRecord<>(
                            Topics.FUNCTIONS, utf8(spec.getName()), SPECS.encode(spec)));
        }
        producer.flush();
    }

    public void deploy(FunctionSpec.Builder spec) {
        deploy(List.of(spec));
    }

    /** Deletes every function deployed so far (a null spec), as {@code flowfn delete} does. */
    public void deleteAll() {
        for (String name : deployed.keySet()) {
            producer.send(new ProducerRecord<>(Topics.FUNCTIONS, utf8(name), null));
        }
        producer.flush();
        deployed.clear();
    }

    /**
     * Deploys a new version of the probe function after everything deployed so far, invokes it on
     * both partitions of its topic, and returns once results from that version came back: the job's
     * matchers then know every function deployed before it (the registry is one ordered partition,
     * broadcast to every matcher).
     */
    public void awaitReady(Duration timeout) throws Exception {
        probeVersion++;
        deploy(spec(PROBE, Noop.class, PROBE_TOPIC));
        long wanted = deployed.get(PROBE);
        AtomicLong seen = new AtomicLong();
        try (ResultTap tap =
                new ResultTap(
                        kafka,
                        Topics.RESULTS,
                        false,
                        (r, at) -> {
                            InvocationResult result = RESULTS.decode(r.value());
                            if (result.getFunction().equals(PROBE)
                                    && result.getVersion() >= wanted) {
                                seen.incrementAndGet();
                            }
                        })) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen.get() < 2) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the job did not run the probe function within "
                                    + timeout.toSeconds()
                                    + " s");
                }
                for (int partition = 0; partition < BenchKafka.PARTITIONS; partition++) {
                    producer.send(
                            new ProducerRecord<>(
                                    PROBE_TOPIC,
                                    partition,
                                    null,
                                    utf8("probe"),
                                    Events.payload(0)));
                }
                producer.flush();
                long wait = System.nanoTime() + 1_000_000_000L;
                while (seen.get() < 2 && System.nanoTime() < wait) {
                    tap.check();
                    Clock.sleep(20);
                }
            }
        }
        Clock.sleep(
                300); // the broadcast reaches the other matcher within milliseconds; give it margin
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
