package dev.flowfn.examples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;
import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import dev.flowfn.testing.KafkaTestCluster;
import dev.flowfn.testing.S3TestServer;
import io.minio.GetObjectArgs;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch examples against a real Kafka and a real S3 API, at 100,000 records each. */
class BatchIT {

    static KafkaTestCluster kafka;
    static S3TestServer s3;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestCluster.start();
        s3 = S3TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        kafka.close();
    }

    private static TestContext.Builder context() {
        return TestContext.builder()
                .timeout(Duration.ofMinutes(10))
                .env("FLOWFN_S3_ENDPOINT", s3.endpoint())
                .env("FLOWFN_S3_ACCESS_KEY", S3TestServer.ACCESS_KEY)
                .env("FLOWFN_S3_SECRET_KEY", S3TestServer.SECRET_KEY);
    }

    @Test
    void exportOfAnHourWith100000RecordsReadsBackTheSame() throws Exception {
        kafka.createTopic("iot.records", 3);
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant from = to.minus(Duration.ofHours(1));
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            // 10 before the hour, 100,000 in it, 10 at or after its end: only the hour is exported
            for (int i = 0; i < 10; i++) {
                producer.send(record(from.minusSeconds(10 + i), "early-" + i));
            }
            for (int i = 0; i < 100_000; i++) {
                producer.send(record(from.plusMillis(i * 36L), "r-" + i));
            }
            for (int i = 0; i < 10; i++) {
                producer.send(record(to.plusMillis(i), "late-" + i));
            }
        }
        s3.put("archive", ".keep", new byte[0]);
        String tick = "{\"scheduledTime\":\"" + to + "\",\"expr\":\"0 * * * *\",\"tz\":\"UTC\"}";
        TestContext ctx =
                context()
                        .env("TOPIC", "iot.records")
                        .env("BUCKET", "archive")
                        .env("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers())
                        .build();
        long started = System.nanoTime();
        Result r =
                new ExportTopic()
                        .handle(TestEvent.builder().type("timer.tick").data(tick).build(), ctx);
        long millis = (System.nanoTime() - started) / 1_000_000;
        String key = ExportTopic.objectKey("iot.records/", from, to);
        assertThat(r.dataAsString()).contains("\"records\":100000").contains(key);

        Set<String> values = readBack(key);
        assertThat(values)
                .hasSize(100_000)
                .contains("r-0", "r-99999")
                .doesNotContain("early-0", "late-0");
        System.out.printf("export: 100000 records in %d ms%n", millis);

        // the same hour again (a retry): the same object, the same records
        new ExportTopic()
                .handle(
                        TestEvent.builder().type("timer.tick").data(tick).build(),
                        context()
                                .env("TOPIC", "iot.records")
                                .env("BUCKET", "archive")
                                .env("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers())
                                .build());
        assertThat(readBack(key)).isEqualTo(values);
        assertThat(ctx.progressReports()).isNotEmpty();
    }

    @Test
    void importOf100000LinesWith10BadOnesEmits99990RecordsAnd10Rejects() throws Exception {
        s3.put("imports", "orders/day-1.csv", csvWithTenBadLines());
        TestContext ctx = context().env("TOPIC", "orders").build();
        long started = System.nanoTime();
        Result r =
                new ImportCsv()
                        .handle(
                                TestEvent.builder()
                                        .type("s3:ObjectCreated:Put")
                                        .extension("s3bucket", "imports")
                                        .extension("s3key", "orders/day-1.csv")
                                        .build(),
                                ctx);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("import: 100000 lines in %d ms%n", millis);

        assertThat(r.dataAsString())
                .contains("\"lines\":100000,\"records\":99990,\"rejected\":10")
                .contains("line 4: has 2 fields, the header has 3")
                .contains("line 1001: column id: 'oops' is not a long");
        List<OutgoingEvent> emitted = ctx.emitted();
        assertThat(emitted.stream().filter(e -> e.topic().orElseThrow().equals("orders")))
                .hasSize(99_990);
        List<OutgoingEvent> rejects =
                emitted.stream()
                        .filter(e -> e.topic().orElseThrow().equals("orders.rejects"))
                        .toList();
        assertThat(rejects).hasSize(10);
        assertThat(new String(rejects.get(0).data(), StandardCharsets.UTF_8))
                .contains("\"line\":4")
                .contains("\"text\":\"3,1.5\"");
    }

    /**
     * A header and 100,000 rows; rows 3, 1000, 20000, 33333, 50000, 66666, 77777, 88888, 99998 and
     * 100000 are bad (an id that is no number, or a field missing).
     */
    static byte[] csvWithTenBadLines() {
        StringBuilder csv = new StringBuilder("id:long,amount:double,customer\n");
        Set<Integer> bad =
                Set.of(3, 1_000, 20_000, 33_333, 50_000, 66_666, 77_777, 88_888, 99_998, 100_000);
        for (int row = 1; row <= 100_000; row++) { // row r is on line r + 1
            if (bad.contains(row)) {
                csv.append(row % 2 == 0 ? "oops," + row + ",x\n" : row + ",1.5\n");
            } else {
                csv.append(row)
                        .append(',')
                        .append(row / 100.0)
                        .append(",\"c, ")
                        .append(row)
                        .append("\"\n");
            }
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> record(Instant time, String value) {
        return new ProducerRecord<>(
                "iot.records",
                null,
                time.toEpochMilli(),
                value.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> readBack(String key) throws Exception {
        Path file = dir.resolve("readback.avro");
        try (InputStream in =
                s3.client()
                        .getObject(GetObjectArgs.builder().bucket("archive").object(key).build())) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Set<String> values = new HashSet<>();
        try (DataFileReader<GenericRecord> reader =
                new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            for (GenericRecord rec : reader) {
                ByteBuffer v = (ByteBuffer) rec.get("value");
                byte[] b = new byte[v.remaining()];
                v.get(b);
                values.add(new String(b, StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
