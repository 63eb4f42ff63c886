package dev.flowfn.schemas.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.contract.EventExtensions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Notifications as MinIO really sent them (captured from the pinned MinIO build by
 * MinioNotificationTargetsIT: its Kafka target and its webhook) and as AWS documents them, parsed
 * into the contract's S3 events.
 */
class MinioCapturedFixturesTest {

    private static final byte[] KAFKA_KEY =
            "photos/uploads/my photo.jpg".getBytes(StandardCharsets.UTF_8);

    @Test
    void minioKafkaTargetPut() throws IOException {
        List<Event> events =
                MinioKafkaTarget.events(KAFKA_KEY, fixture("minio-captured-kafka-put.json"));

        assertThat(events).hasSize(1);
        Event e = events.get(0);
        assertThat(e.getType()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(e.getSource()).isEqualTo("s3://photos");
        assertThat(e.getSubject())
                .as("MinIO escapes keys like a query")
                .isEqualTo("uploads/my photo.jpg");
        assertThat(e.getId())
                .isEqualTo("s3:photos/uploads/my photo.jpg@18EAF6942869B8CC:s3:ObjectCreated:Put");
        assertThat(e.getTime()).isEqualTo(Instant.parse("2026-11-24T11:08:37.667Z"));
        assertThat(e.getDatacontenttype()).isEqualTo("application/json");
        assertThat(data(e))
                .contains(
                        "\"bucket\":\"photos\"",
                        "\"key\":\"uploads/my photo.jpg\"",
                        "\"size\":17",
                        "\"eTag\":\"08a83d6686281a5a292732435b21f83a\"",
                        "\"contentType\":\"image/jpeg\"",
                        "\"sequencer\":\"18EAF6942869B8CC\"");
        assertThat(e.getExtensions())
                .containsEntry(EventExtensions.S3_BUCKET, "photos")
                .containsEntry(EventExtensions.S3_KEY, "uploads/my photo.jpg");
    }

    @Test
    void minioKafkaTargetDeleteHasNoETagOrSize() throws IOException {
        Event e =
                MinioKafkaTarget.events(KAFKA_KEY, fixture("minio-captured-kafka-delete.json"))
                        .get(0);

        assertThat(e.getType()).isEqualTo("s3:ObjectRemoved:Delete");
        assertThat(e.getId())
                .isEqualTo(
                        "s3:photos/uploads/my photo.jpg@18EAF6942A02658E:s3:ObjectRemoved:Delete");
        assertThat(data(e)).contains("\"size\":0", "\"eTag\":null", "\"contentType\":null");
    }

    @Test
    void theWebhookGetsWhatTheKafkaTargetGets() throws IOException {
        assertThat(S3Notifications.events(fixture("minio-captured-webhook-put.json")))
                .isEqualTo(
                        MinioKafkaTarget.events(
                                KAFKA_KEY, fixture("minio-captured-kafka-put.json")));
    }

    @Test
    void awsMultipartUploadAndDeleteMarker() throws IOException {
        List<S3ObjectEvent> events =
                S3Notifications.parse(fixture("aws-multipart-and-delete-marker.json"));

        assertThat(events)
                .extracting(S3ObjectEvent::eventName)
                .containsExactly(
                        "s3:ObjectCreated:CompleteMultipartUpload",
                        "s3:ObjectRemoved:DeleteMarkerCreated");
        S3ObjectEvent upload = events.get(0);
        assertThat(upload.key()).isEqualTo("uploads/my vacation(summer).jpg");
        assertThat(upload.size()).isEqualTo(26_214_400L);
        assertThat(upload.eTag()).isEqualTo("9b2cf535f27731c974343645a3985328-3");
        assertThat(upload.id())
                .isEqualTo(
                        "s3:amzn-s3-demo-bucket/uploads/my vacation(summer).jpg@0065E6E2BC4F1A2B3C"
                                + ":s3:ObjectCreated:CompleteMultipartUpload");
        S3ObjectEvent marker = events.get(1);
        assertThat(marker.key()).isEqualTo("uploads/oldé.jpg");
        assertThat(marker.versionId()).isEqualTo("Ks2y3Xq9_nP8mDqvP1n7vT0QhKx0ZbW1");
        assertThat(marker.eTag()).isNull();
    }

    @Test
    void aKafkaTombstoneIsNoEventAndABadRecordIsNamed() {
        assertThat(MinioKafkaTarget.events(KAFKA_KEY, null)).isEmpty();
        assertThatThrownBy(
                        () ->
                                MinioKafkaTarget.events(
                                        KAFKA_KEY,
                                        "{\"EventName\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidNotificationException.class)
                .hasMessageContaining("MinIO Kafka-target record 'photos/uploads/my photo.jpg'")
                .hasMessageContaining("not JSON");
    }

    private static String data(Event e) {
        return StandardCharsets.UTF_8.decode(e.getData().duplicate()).toString();
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = MinioCapturedFixturesTest.class.getResourceAsStream("/s3/" + name)) {
            if (in == null) {
                throw new IOException("no test resource s3/" + name);
            }
            return in.readAllBytes();
        }
    }
}
