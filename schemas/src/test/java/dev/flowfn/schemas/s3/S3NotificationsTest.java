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

class S3NotificationsTest {

    @Test
    void parsesAMinioWebhookNotification() throws IOException {
        List<Event> events = S3Notifications.events(fixture("minio-put.json"));

        assertThat(events).hasSize(1);
        Event e = events.get(0);
        assertThat(e.getType()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(e.getSubject()).isEqualTo("uploads/my photo.jpg");
        assertThat(e.getExtensions())
                .containsEntry(EventExtensions.S3_BUCKET, "images")
                .containsEntry(EventExtensions.S3_KEY, "uploads/my photo.jpg");
        assertThat(e.getId())
                .isEqualTo("s3:images/uploads/my photo.jpg@15C32494527B46C5:s3:ObjectCreated:Put");
        assertThat(e.getSourceIdentity()).as("a notification's id is its source's").isTrue();
        assertThat(e.getTime()).isEqualTo(Instant.parse("2019-09-10T17:41:54Z"));
        assertThat(StandardCharsets.UTF_8.decode(e.getData()).toString())
                .contains(
                        "\"size\":2586", "\"contentType\":\"image/jpeg\"", "\"bucket\":\"images\"");
    }

    @Test
    void parsesAwsRecordsAndPrefixesTheirEventNames() throws IOException {
        List<S3ObjectEvent> events = S3Notifications.parse(fixture("aws-put.json"));

        assertThat(events)
                .extracting(S3ObjectEvent::eventName)
                .containsExactly("s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete");
        assertThat(events.get(0).versionId()).isEqualTo("096fKKXTRTtl3on89fVO.nfljtsv6qko");
        assertThat(events.get(1).key()).isEqualTo("old.jpg");
    }

    @Test
    void aTestEventYieldsNothing() throws IOException {
        assertThat(S3Notifications.parse(fixture("aws-test-event.json"))).isEmpty();
    }

    @Test
    void theSameNotificationTwiceHasTheSameIds() throws IOException {
        assertThat(S3Notifications.events(fixture("aws-put.json")))
                .extracting(Event::getId)
                .isEqualTo(
                        S3Notifications.events(fixture("aws-put.json")).stream()
                                .map(Event::getId)
                                .toList());
    }

    @Test
    void malformedNotificationsNameTheProblem() {
        assertThatThrownBy(() -> S3Notifications.parse(bytes("{not json")))
                .isInstanceOf(InvalidNotificationException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> S3Notifications.parse(bytes("[1]")))
                .hasMessageContaining("JSON object with Records[]");
        assertThatThrownBy(() -> S3Notifications.parse(bytes("{\"foo\":1}")))
                .hasMessageContaining("no Records[]");
        assertThatThrownBy(
                        () ->
                                S3Notifications.parse(
                                        bytes(
                                                "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\","
                                                        + "\"eventTime\":\"2020-01-01T00:00:00Z\","
                                                        + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{}}}]}")))
                .hasMessageContaining("Records[0].s3.object.key is missing");
        assertThatThrownBy(
                        () ->
                                S3Notifications.parse(
                                        bytes(
                                                "{\"Records\":[{\"eventName\":\"x\",\"eventTime\":\"yesterday\","
                                                        + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\"}}}]}")))
                .hasMessageContaining("eventTime 'yesterday'");
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = S3NotificationsTest.class.getResourceAsStream("/s3/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
