package dev.flowfn.schemas.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * More notification shapes as MinIO, AWS S3 and Flowfn's own local store send them: deletes without
 * size, multipart completions, delete markers with versions, keys with spaces, '+' and non-ASCII
 * characters.
 */
class S3NotificationFixturesTest {

    private static S3ObjectEvent only(String fixture) throws IOException {
        List<S3ObjectEvent> events = S3Notifications.parse(S3NotificationsTest.fixture(fixture));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void minioDeleteHasNoSizeAndADecodedKey() throws IOException {
        S3ObjectEvent e = only("minio-delete.json");
        assertThat(e.eventName()).isEqualTo("s3:ObjectRemoved:Delete");
        assertThat(e.bucket()).isEqualTo("images");
        assertThat(e.key()).isEqualTo("uploads/old photo.jpg");
        assertThat(e.size()).isZero();
        assertThat(e.eTag()).isNull();
        assertThat(e.time()).isEqualTo(Instant.parse("2019-09-10T17:42:05.129Z"));
        assertThat(e.id())
                .isEqualTo(
                        "s3:images/uploads/old photo.jpg@15C32496C20D5A7B:s3:ObjectRemoved:Delete");
    }

    @Test
    void minioMultipartCompletionIsOneCreatedEvent() throws IOException {
        S3ObjectEvent e = only("minio-multipart.json");
        assertThat(e.eventName()).isEqualTo("s3:ObjectCreated:CompleteMultipartUpload");
        assertThat(e.key()).isEqualTo("raw/clip 01.mp4");
        assertThat(e.size()).isEqualTo(52_428_800L);
        assertThat(e.eTag()).isEqualTo("a2b5a0b7c1d4f3e6d7c8b9a0e1f2d3c4-4");
        assertThat(e.contentType()).isEqualTo("video/mp4");
        assertThat(e.versionId()).isEqualTo("0b8d3f2a-6c1e-4f5a-9d7b-2e4c6a8b0d1f");
        Event event = e.toEvent();
        assertThat(event.getSubject()).isEqualTo("raw/clip 01.mp4");
        assertThat(event.getSource()).isEqualTo("s3://videos");
    }

    @Test
    void awsDeleteMarkerWithUnicodeAndPlusInTheKey() throws IOException {
        S3ObjectEvent e = only("aws-delete-marker.json");
        assertThat(e.eventName()).isEqualTo("s3:ObjectRemoved:DeleteMarkerCreated");
        assertThat(e.key()).isEqualTo("photos/2024/café menu+1.jpg");
        assertThat(e.versionId()).isEqualTo("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
        assertThat(e.id())
                .isEqualTo(
                        "s3:amzn-s3-demo-bucket/photos/2024/café menu+1.jpg@0065E9ACD1B7A3F2C8"
                                + ":s3:ObjectRemoved:DeleteMarkerCreated");
    }

    @Test
    void theLocalStoresOwnNotificationParses() throws IOException {
        S3ObjectEvent e = only("flowfn-local-store-put.json");
        assertThat(e.eventName()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(e.bucket()).isEqualTo("photos");
        assertThat(e.key()).isEqualTo("uploads/my cat+1.jpg");
        assertThat(e.size()).isEqualTo(1234);
        assertThat(e.sequencer()).isEqualTo("187AE4F5A1B2C3D4");
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-24T10:00:00.123Z"));
        assertThat(StandardCharsets.UTF_8.decode(e.toEvent().getData()).toString())
                .contains("\"eTag\":\"0f343b0931126a20f133d67c2b018a3b\"");
    }
}
