package dev.flowfn.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.testing.KafkaTestCluster;
import dev.flowfn.testing.MinioTestServer;
import dev.flowfn.testing.S3TestServer;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The polling source against real stores (MinIO, S3Proxy) and a real Kafka: a baseline is not
 * emitted, filters hold, a graceful restart mid-burst loses and repeats nothing, a crash before the
 * offset commit repeats only the uncommitted batch, with the same event ids.
 */
class S3PollSourceIT {

    private static final String BUCKET = "photos";
    private static KafkaTestCluster kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestCluster.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void pollsMinio() throws Exception {
        try (MinioTestServer minio = MinioTestServer.start()) {
            scenario(
                    minio.client(),
                    props(
                            minio.endpoint(),
                            MinioTestServer.ACCESS_KEY,
                            MinioTestServer.SECRET_KEY));
        }
    }

    @Test
    void pollsS3Proxy() throws Exception {
        try (S3TestServer s3 = S3TestServer.start()) {
            scenario(
                    s3.client(),
                    props(s3.endpoint(), S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY));
        }
    }

    private static Map<String, String> props(String endpoint, String access, String secret) {
        Map<String, String> p = new HashMap<>();
        p.put(S3SourceConfig.ENDPOINT, endpoint);
        p.put(S3SourceConfig.ACCESS_KEY, access);
        p.put(S3SourceConfig.SECRET_KEY, secret);
        p.put(S3SourceConfig.BUCKET, BUCKET);
        p.put(S3SourceConfig.PREFIX, "uploads/");
        p.put(S3SourceConfig.SUFFIX, ".jpg");
        p.put(S3SourceConfig.POLL_INTERVAL_MS, "200");
        p.put(S3SourceConfig.MAX_RECORDS, "5");
        p.put(S3SourceConfig.TOPIC, Topics.EVENTS);
        return p;
    }

    private void scenario(MinioClient store, Map<String, String> props) throws Exception {
        if (!store.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
            store.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        }
        for (int i = 0; i < 3; i++) {
            put(store, "uploads/old-" + i + ".jpg", "old " + i);
        }
        try (SourceTaskDriver driver = new SourceTaskDriver(kafka, S3PollSourceTask::new, props)) {
            driver.start();
            assertThat(driver.pollFor(Duration.ofMillis(800)))
                    .as("objects there before the first start are the baseline")
                    .isEmpty();

            for (int i = 0; i < 20; i++) {
                put(store, key(i), "image " + i);
            }
            put(store, "uploads/note.txt", "not a .jpg");
            put(store, "other/x.jpg", "outside the prefix");
            List<Event> first = driver.pollUntil(10, Duration.ofSeconds(20));
            assertThat(first).hasSize(10);
            driver.stop(); // graceful: everything acknowledged is committed

            for (int i = 20; i < 25; i++) {
                put(store, key(i), "image " + i);
            }
            put(store, "uploads/old-0.jpg", "changed");

            driver.start();
            List<Event> uncommitted = List.of();
            for (int tries = 0; uncommitted.isEmpty() && tries < 100; tries++) {
                uncommitted = driver.pollOnce(false);
            }
            assertThat(uncommitted).hasSize(5);
            driver.stop(); // a crash: the last batch reached Kafka, its offsets did not

            driver.start();
            // 10 of the burst + 5 + 1 changed, the uncommitted 5 among them again
            List<Event> rest = driver.pollUntil(16, Duration.ofSeconds(20));
            assertThat(rest).hasSize(16);
            assertThat(rest).containsAll(uncommitted);
            assertThat(driver.pollFor(Duration.ofMillis(800)))
                    .as("unchanged objects are never emitted again")
                    .isEmpty();

            Set<String> expectedKeys =
                    IntStream.range(0, 25)
                            .mapToObj(S3PollSourceIT::key)
                            .collect(Collectors.toSet());
            expectedKeys.add("uploads/old-0.jpg");
            List<Event> all = driver.sent();
            assertThat(all.stream().map(Event::getSubject).collect(Collectors.toSet()))
                    .isEqualTo(expectedKeys);
            Map<String, Long> idCounts =
                    all.stream()
                            .collect(Collectors.groupingBy(Event::getId, Collectors.counting()));
            assertThat(idCounts).hasSize(26);
            Set<String> repeated =
                    idCounts.entrySet().stream()
                            .filter(e -> e.getValue() > 1)
                            .map(Map.Entry::getKey)
                            .collect(Collectors.toSet());
            assertThat(repeated)
                    .as("only the uncommitted batch comes again, with the same ids")
                    .isEqualTo(uncommitted.stream().map(Event::getId).collect(Collectors.toSet()));
            assertThat(idCounts.values()).allMatch(n -> n <= 2);

            Event e = all.get(0);
            assertThat(e.getType()).isEqualTo("s3:ObjectCreated:Put");
            assertThat(e.getSource()).isEqualTo("s3://" + BUCKET);
            assertThat(e.getId()).startsWith("s3:" + BUCKET + "/" + e.getSubject() + "@");
            assertThat(e.getSourceIdentity()).isTrue();
            assertThat(e.getExtensions())
                    .containsEntry(EventExtensions.S3_BUCKET, BUCKET)
                    .containsEntry(EventExtensions.S3_KEY, e.getSubject());
            assertThat(StandardCharsets.UTF_8.decode(e.getData()).toString())
                    .contains("\"key\":\"" + e.getSubject() + "\"", "\"eTag\":\"");

            // what the driver wrote is on flowfn.events, keyed by the object key
            List<ConsumerRecord<byte[], byte[]>> onTopic =
                    kafka.readCommitted(
                            Topics.EVENTS, all.size(), Duration.ofSeconds(10), Duration.ZERO);
            Map<String, String> keyBySubject =
                    all.stream()
                            .collect(
                                    Collectors.toMap(Event::getId, Event::getSubject, (a, b) -> a));
            assertThat(onTopic.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)))
                    .containsAll(keyBySubject.values());
        } finally {
            clearTopic();
        }
    }

    private static String key(int i) {
        return String.format("uploads/img-%02d.jpg", i);
    }

    private static void put(MinioClient store, String key, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        store.putObject(
                PutObjectArgs.builder().bucket(BUCKET).object(key).stream(
                                new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                        .contentType("image/jpeg")
                        .build());
    }

    /** Both tests write flowfn.events: start each from an empty topic. */
    private static void clearTopic() throws Exception {
        try (var admin = kafka.admin()) {
            admin.deleteTopics(List.of(Topics.EVENTS)).all().get();
        }
        for (int i = 0; ; i++) {
            try {
                kafka.createTopic(Topics.EVENTS, 2);
                return;
            } catch (Exception alreadyThere) {
                if (i > 50) {
                    throw alreadyThere;
                }
                Thread.sleep(100);
            }
        }
    }
}
