package dev.flowfn.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.s3.MinioKafkaTarget;
import dev.flowfn.schemas.s3.S3Notifications;
import dev.flowfn.testing.KafkaTestCluster;
import dev.flowfn.testing.MinioTestServer;
import io.minio.RemoveObjectArgs;
import io.minio.SetBucketNotificationArgs;
import io.minio.messages.NotificationConfiguration;
import io.minio.messages.NotificationConfiguration.QueueConfiguration;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A real MinIO configured at start (environment {@code MINIO_NOTIFY_KAFKA_*} and {@code
 * MINIO_NOTIFY_WEBHOOK_*}) and by the SDK (the bucket's notification configuration) sends its
 * notifications to a real Kafka and to a webhook: what it really sends parses, through {@link
 * MinioKafkaTarget} and {@link S3Notifications}, into the contract's events, with the same ids on
 * both paths. With {@code -Dflowfn.capture.dir=DIR} the bodies are saved (the fixtures under
 * schemas/src/test/resources/s3/minio-captured-*.json came from here).
 */
class MinioNotificationTargetsIT {

    private static final String TOKEN = "webhook-token-for-test";

    @Test
    void kafkaTargetAndWebhookCarryNotificationsThatParse() throws Exception {
        MinioTestServer.assumeAvailable(); // before Kafka starts
        List<byte[]> hooks = new CopyOnWriteArrayList<>();
        List<String> auth = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext(
                "/hook",
                ex -> {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                    if (body.length > 0) {
                        hooks.add(body);
                    }
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
        hook.start();
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                MinioTestServer minio =
                        MinioTestServer.builder()
                                .env("MINIO_NOTIFY_KAFKA_ENABLE_FLOWFN", "on")
                                .env("MINIO_NOTIFY_KAFKA_BROKERS_FLOWFN", kafka.bootstrapServers())
                                .env(
                                        "MINIO_NOTIFY_KAFKA_TOPIC_FLOWFN",
                                        MinioKafkaTarget.DEFAULT_TOPIC)
                                .env("MINIO_NOTIFY_WEBHOOK_ENABLE_FLOWFN", "on")
                                .env(
                                        "MINIO_NOTIFY_WEBHOOK_ENDPOINT_FLOWFN",
                                        "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook")
                                .env("MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_FLOWFN", TOKEN)
                                .start()) {
            kafka.createTopic(MinioKafkaTarget.DEFAULT_TOPIC, 1);
            minio.makeBucket("photos");
            minio.client()
                    .setBucketNotification(
                            SetBucketNotificationArgs.builder()
                                    .bucket("photos")
                                    .config(
                                            new NotificationConfiguration(
                                                    null,
                                                    List.of(
                                                            queue("arn:minio:sqs::FLOWFN:kafka"),
                                                            queue("arn:minio:sqs::FLOWFN:webhook")),
                                                    null,
                                                    null))
                                    .build());

            byte[] jpeg = "not really a jpeg".getBytes(StandardCharsets.UTF_8);
            minio.client()
                    .putObject(
                            io.minio.PutObjectArgs.builder()
                                    .bucket("photos")
                                    .object("uploads/my photo.jpg")
                                    .stream(new ByteArrayInputStream(jpeg), (long) jpeg.length, -1L)
                                    .contentType("image/jpeg")
                                    .build());
            minio.client()
                    .removeObject(
                            RemoveObjectArgs.builder()
                                    .bucket("photos")
                                    .object("uploads/my photo.jpg")
                                    .build());

            List<ConsumerRecord<byte[], byte[]>> records =
                    kafka.readCommitted(
                            MinioKafkaTarget.DEFAULT_TOPIC,
                            2,
                            Duration.ofSeconds(30),
                            Duration.ofMillis(200));
            assertThat(records).as(minio.logText()).hasSize(2);
            List<Event> fromKafka = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo("photos/uploads/my photo.jpg");
                fromKafka.addAll(MinioKafkaTarget.events(r.key(), r.value()));
            }
            // MinIO delivers each target's notifications from its own queue: the put and the
            // delete (two requests) can arrive in either order (seen under load in CI)
            assertThat(fromKafka)
                    .extracting(Event::getType)
                    .containsExactlyInAnyOrder("s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete");
            Event put =
                    fromKafka.stream()
                            .filter(e -> e.getType().equals("s3:ObjectCreated:Put"))
                            .findFirst()
                            .orElseThrow();
            assertThat(put.getSubject()).isEqualTo("uploads/my photo.jpg");
            assertThat(put.getSource()).isEqualTo("s3://photos");
            assertThat(StandardCharsets.UTF_8.decode(put.getData()).toString())
                    .contains("\"size\":" + jpeg.length, "\"contentType\":\"image/jpeg\"");

            Instant deadline = Instant.now().plusSeconds(30);
            while (hooks.size() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(hooks).as(minio.logText()).hasSize(2);
            assertThat(auth).contains("Bearer " + TOKEN);
            List<Event> fromHook = new ArrayList<>();
            hooks.forEach(h -> fromHook.addAll(S3Notifications.events(h)));
            assertThat(fromHook)
                    .as("the same notification has the same id on every path")
                    .extracting(Event::getId)
                    .containsExactlyInAnyOrderElementsOf(
                            fromKafka.stream().map(Event::getId).toList());

            String dir = System.getProperty("flowfn.capture.dir");
            if (dir != null) {
                Path d = Files.createDirectories(Path.of(dir));
                Files.write(d.resolve("minio-captured-kafka-put.json"), records.get(0).value());
                Files.write(d.resolve("minio-captured-kafka-delete.json"), records.get(1).value());
                Files.write(d.resolve("minio-captured-webhook-put.json"), hooks.get(0));
            }
        } finally {
            hook.stop(0);
        }
    }

    private static QueueConfiguration queue(String arn) {
        return new QueueConfiguration(
                arn, null, List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), null);
    }
}
