package dev.flowfn.examples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.job.JobOptions;
import dev.flowfn.job.local.EmbeddedFlink;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.testing.KafkaTestCluster;
import dev.flowfn.testing.S3TestServer;
import dev.flowfn.testing.TestJars;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImportCsv as deployed: {@code batch.jar} (shaded) loaded by the real job from the code store, a
 * 100,000-line CSV with 10 bad lines, and the records committed on the topics counted by a
 * read_committed reader.
 */
class BatchJobIT {

    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);
    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);
    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);

    @TempDir Path dir;

    @Test
    void importThroughTheJobCommits99990RecordsAnd10Rejects() throws Exception {
        Path jarFile = Path.of("target", "batch.jar");
        assertThat(jarFile)
                .as("package examples/batch first (mvn -pl examples/batch package)")
                .exists();
        byte[] jar = Files.readAllBytes(jarFile);
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                S3TestServer s3 = S3TestServer.start()) {
            kafka.createTopic("orders", 2);
            kafka.createTopic("orders.rejects", 1);
            Configuration conf = new Configuration();
            conf.set(JobOptions.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.S3_ENDPOINT, s3.endpoint());
            conf.set(JobOptions.S3_ACCESS_KEY, S3TestServer.ACCESS_KEY);
            conf.set(JobOptions.S3_SECRET_KEY, S3TestServer.SECRET_KEY);
            conf.set(JobOptions.CODE_CACHE_DIR, dir.resolve("code").toString());
            conf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(1));
            conf.setString("execution.checkpointing.interval", "500ms");
            conf.setString("execution.checkpointing.dir", dir.resolve("cp").toUri().toString());
            conf.setString("parallelism.default", "1");
            try (EmbeddedFlink flink = EmbeddedFlink.start(conf, 2)) {
                JobID job = flink.submitFlowfn(null);
                flink.awaitRunning(job, Duration.ofSeconds(60));

                s3.put("flowfn-code", "import-csv/1.jar", jar);
                FunctionSpec spec =
                        FunctionSpec.newBuilder()
                                .setName("import-csv")
                                .setVersion(1)
                                .setHandler(ImportCsv.class.getName())
                                .setCodeUri("s3://flowfn-code/import-csv/1.jar")
                                .setCodeSha256(TestJars.sha256(jar))
                                .setMemoryMb(512)
                                .setTimeoutMs(Duration.ofMinutes(10).toMillis())
                                .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1).build())
                                .setEnv(
                                        Map.of(
                                                "TOPIC",
                                                "orders",
                                                "S3_ENDPOINT",
                                                s3.endpoint(),
                                                "S3_ACCESS_KEY",
                                                S3TestServer.ACCESS_KEY,
                                                "S3_SECRET_KEY",
                                                S3TestServer.SECRET_KEY))
                                .setDeployedAt(Instant.now())
                                .build();
                kafka.send(Topics.FUNCTIONS, utf8("import-csv"), SPECS.encode(spec));
                s3.put("imports", "orders/day-1.csv", BatchIT.csvWithTenBadLines());
                Thread.sleep(1_000);

                // the event an upload notification becomes (here sent straight to the function)
                Event upload =
                        Event.newBuilder()
                                .setId("s3:imports/orders/day-1.csv@1:s3:ObjectCreated:Put")
                                .setSource("s3://imports")
                                .setType("s3:ObjectCreated:Put")
                                .setSubject("orders/day-1.csv")
                                .setTime(Instant.now())
                                .setDatacontenttype("application/json")
                                .setData(
                                        ByteBuffer.wrap(
                                                utf8(
                                                        "{\"bucket\":\"imports\",\"key\":\"orders/day-1.csv\"}")))
                                .setExtensions(
                                        Map.of(
                                                "flowfntarget", "import-csv",
                                                "s3bucket", "imports",
                                                "s3key", "orders/day-1.csv"))
                                .build();
                kafka.send(Topics.EVENTS, utf8("orders/day-1.csv"), EVENTS.encode(upload));

                List<InvocationResult> results =
                        kafka
                                .readCommitted(
                                        Topics.RESULTS,
                                        1,
                                        Duration.ofSeconds(90),
                                        Duration.ofSeconds(1))
                                .stream()
                                .map(r -> RESULTS.decode(r.value()))
                                .filter(r -> r.getFunction().equals("import-csv"))
                                .toList();
                assertThat(results).hasSize(1);
                InvocationResult result = results.get(0);
                assertThat(result.getSuccess()).as(String.valueOf(result.getError())).isTrue();
                assertThat(result.getEmitted()).isEqualTo(100_000);
                String summary = StandardCharsets.UTF_8.decode(result.getData()).toString();
                assertThat(summary).contains("\"lines\":100000,\"records\":99990,\"rejected\":10");

                List<ConsumerRecord<byte[], byte[]>> records =
                        kafka.readCommitted(
                                "orders", 99_990, Duration.ofSeconds(60), Duration.ofSeconds(1));
                assertThat(records).hasSize(99_990);
                Schema schema =
                        new Schema.Parser()
                                .parse(
                                        summary.substring(
                                                summary.indexOf("\"schema\":") + 9,
                                                summary.length() - 1));
                BinaryMessageDecoder<GenericRecord> decoder =
                        new BinaryMessageDecoder<>(GenericData.get(), schema);
                Set<Long> ids =
                        records.stream()
                                .map(r -> (Long) decode(decoder, r.value()).get("id"))
                                .collect(Collectors.toSet());
                assertThat(ids)
                        .hasSize(99_990)
                        .contains(1L, 100_000L - 1)
                        .doesNotContain(3L, 1_000L);

                List<ConsumerRecord<byte[], byte[]>> rejects =
                        kafka.readCommitted(
                                "orders.rejects",
                                10,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(1));
                assertThat(rejects).hasSize(10);
                assertThat(new String(rejects.get(0).value(), StandardCharsets.UTF_8))
                        .contains("\"reason\":\"line ");
                flink.cancel(job);
            }
        }
    }

    private static GenericRecord decode(BinaryMessageDecoder<GenericRecord> decoder, byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
