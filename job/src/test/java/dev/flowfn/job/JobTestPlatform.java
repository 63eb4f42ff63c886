package dev.flowfn.job;

import dev.flowfn.job.local.EmbeddedFlink;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.TriggerSpecs;
import dev.flowfn.testing.KafkaTestCluster;
import dev.flowfn.testing.S3TestServer;
import dev.flowfn.testing.TestJars;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A real platform for the job's integration tests: Kafka, S3, and the job on a MiniCluster. */
final class JobTestPlatform implements AutoCloseable {

    static final String CODE_BUCKET = "flowfn-code";
    static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);
    static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);
    static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    final KafkaTestCluster kafka;
    final S3TestServer s3;
    final EmbeddedFlink flink;
    JobID job;

    private JobTestPlatform(KafkaTestCluster kafka, S3TestServer s3, EmbeddedFlink flink) {
        this.kafka = kafka;
        this.s3 = s3;
        this.flink = flink;
    }

    static JobTestPlatform start(Path checkpoints, Duration pendingGrace) throws Exception {
        return start(checkpoints, pendingGrace, conf -> {});
    }

    static JobTestPlatform start(
            Path checkpoints,
            Duration pendingGrace,
            java.util.function.Consumer<Configuration> more)
            throws Exception {
        return start(checkpoints, pendingGrace, Map.of(), more);
    }

    /** With {@code kafkaConfig} on top of the test broker's configuration. */
    static JobTestPlatform start(
            Path checkpoints,
            Duration pendingGrace,
            Map<String, String> kafkaConfig,
            java.util.function.Consumer<Configuration> more)
            throws Exception {
        KafkaTestCluster kafka = KafkaTestCluster.start(kafkaConfig);
        S3TestServer s3 = S3TestServer.start();
        Configuration conf = new Configuration();
        conf.set(JobOptions.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(JobOptions.S3_ENDPOINT, s3.endpoint());
        conf.set(JobOptions.S3_ACCESS_KEY, S3TestServer.ACCESS_KEY);
        conf.set(JobOptions.S3_SECRET_KEY, S3TestServer.SECRET_KEY);
        conf.set(JobOptions.CODE_CACHE_DIR, checkpoints.resolve("code-cache").toString());
        conf.set(JobOptions.TOPIC_DISCOVERY_INTERVAL, Duration.ofMillis(500));
        conf.set(JobOptions.PENDING_GRACE, pendingGrace);
        conf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(1));
        conf.setString("execution.checkpointing.interval", "500ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "20");
        conf.setString("restart-strategy.fixed-delay.delay", "500ms");
        conf.setString("parallelism.default", "2");
        conf.setString("rest.bind-port", "0"); // not 8081: other MiniClusters may run beside
        more.accept(conf);
        EmbeddedFlink flink = EmbeddedFlink.start(conf, 4);
        JobTestPlatform platform = new JobTestPlatform(kafka, s3, flink);
        platform.job = flink.submitFlowfn(null);
        flink.awaitRunning(platform.job, Duration.ofSeconds(60));
        return platform;
    }

    /** A spec with test-friendly defaults; customize through the returned builder. */
    static FunctionSpec.Builder spec(
            String name, long version, Class<?> handler, byte[] jar, String... triggers) {
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(version)
                .setHandler(handler.getName())
                .setCodeUri("s3://" + CODE_BUCKET + "/" + name + "/" + version + ".jar")
                .setCodeSha256(TestJars.sha256(jar))
                .setMemoryMb(256)
                .setTimeoutMs(5_000)
                .setMaxConcurrency(8)
                .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1).setBackoffMs(50).build())
                .setTriggers(Arrays.stream(triggers).map(TriggerSpecs::parse).toList())
                .setEnv(Map.of())
                .setDeployedAt(Instant.now());
    }

    /** Deploys as the control server does: jar to the code store, spec to the registry topic. */
    void deploy(FunctionSpec spec, byte[] jar) throws Exception {
        String key = spec.getCodeUri().substring(("s3://" + CODE_BUCKET + "/").length());
        s3.put(CODE_BUCKET, key, jar);
        kafka.send(Topics.FUNCTIONS, utf8(spec.getName()), SPECS.encode(spec));
    }

    /** A direct invocation of {@code function}, as {@code flowfn invoke} sends it. */
    void invoke(String function, String eventId, String data, long minVersion) throws Exception {
        Event event =
                Event.newBuilder()
                        .setId(eventId)
                        .setSource("test://invoke")
                        .setType("flowfn.invoke")
                        .setTime(Instant.now())
                        .setData(ByteBuffer.wrap(utf8(data)))
                        .setExtensions(
                                Map.of(
                                        "flowfntarget",
                                        function,
                                        "flowfnminversion",
                                        Long.toString(minVersion)))
                        .build();
        kafka.send(Topics.EVENTS, utf8(eventId), EVENTS.encode(event));
    }

    List<InvocationResult> results(int atLeast, Duration timeout) {
        return kafka.readCommitted(Topics.RESULTS, atLeast, timeout, Duration.ofSeconds(2)).stream()
                .map(r -> RESULTS.decode(r.value()))
                .toList();
    }

    List<DeadLetter> deadLetters(int atLeast, Duration timeout) {
        return kafka.readCommitted(Topics.DLQ, atLeast, timeout, Duration.ofSeconds(1)).stream()
                .map(ConsumerRecord::value)
                .map(DEAD_LETTERS::decode)
                .toList();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        try {
            if (job != null) {
                flink.cancel(job);
            }
        } finally {
            flink.close();
            s3.close();
            kafka.close();
        }
    }
}
