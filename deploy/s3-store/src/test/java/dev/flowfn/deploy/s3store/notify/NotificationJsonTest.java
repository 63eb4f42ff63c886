package dev.flowfn.deploy.s3store.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NotificationJsonTest {

    @Test
    void writesMinioWebhookShapeWithEncodedRecordKey() throws Exception {
        ObjectChange change =
                new ObjectChange(
                        ObjectChange.PUT,
                        "photos",
                        "uploads/my cat+1.jpg",
                        1234,
                        "abc",
                        "image/jpeg",
                        null,
                        Instant.parse("2026-11-24T10:00:00.123456Z"));
        JsonNode root =
                new ObjectMapper()
                        .readTree(NotificationJson.write(change, "0123ABCD", "http://s3"));

        assertThat(root.get("EventName").asText()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(root.get("Key").asText()).isEqualTo("photos/uploads/my cat+1.jpg");
        JsonNode record = root.get("Records").get(0);
        assertThat(record.get("eventName").asText()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(record.get("eventTime").asText()).isEqualTo("2026-11-24T10:00:00.123Z");
        assertThat(record.at("/s3/bucket/name").asText()).isEqualTo("photos");
        assertThat(record.at("/s3/object/key").asText()).isEqualTo("uploads%2Fmy+cat%2B1.jpg");
        assertThat(record.at("/s3/object/size").asLong()).isEqualTo(1234);
        assertThat(record.at("/s3/object/eTag").asText()).isEqualTo("abc");
        assertThat(record.at("/s3/object/contentType").asText()).isEqualTo("image/jpeg");
        assertThat(record.at("/s3/object/sequencer").asText()).isEqualTo("0123ABCD");
        assertThat(record.at("/s3/object/versionId").isMissingNode()).isTrue();
    }

    @Test
    void deleteHasNoSize() throws Exception {
        ObjectChange change =
                new ObjectChange(
                        ObjectChange.DELETE, "b", "k", -1, null, null, null, Instant.now());
        JsonNode record =
                new ObjectMapper()
                        .readTree(NotificationJson.write(change, "1", "http://s3"))
                        .get("Records")
                        .get(0);
        assertThat(record.at("/s3/object/size").isMissingNode()).isTrue();
        assertThat(record.get("eventName").asText()).isEqualTo("s3:ObjectRemoved:Delete");
    }

    @Test
    void unquotesETags() {
        assertThat(NotifyingBlobStore.unquote("\"abc\"")).isEqualTo("abc");
        assertThat(NotifyingBlobStore.unquote("abc")).isEqualTo("abc");
        assertThat(NotifyingBlobStore.unquote(null)).isNull();
    }
}
