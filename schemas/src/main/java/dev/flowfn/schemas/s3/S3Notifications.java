package dev.flowfn.schemas.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.contract.EventTypes;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses bucket notifications as MinIO (webhook, Kafka target, listen API) and AWS S3 send them: a
 * JSON object with {@code Records[]}, each with {@code eventName}, {@code eventTime} and {@code
 * s3.bucket.name}, {@code s3.object.key} (URL-encoded), size, eTag, versionId, sequencer. A test
 * notification without records (AWS {@code s3:TestEvent}) yields no events.
 *
 * <p>Thread-safe.
 */
public final class S3Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws InvalidNotificationException naming what is missing or malformed; nothing of a
     *     notification is returned when any of its records is bad
     */
    public static List<S3ObjectEvent> parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidNotificationException(
                    "notification is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidNotificationException("notification cannot be read: " + e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidNotificationException(
                    "notification must be a JSON object with Records[], as MinIO and S3 send");
        }
        JsonNode records = root.get("Records");
        if (records == null || records.isNull()) {
            if (root.has("Event") || root.has("EventName")) {
                return List.of(); // a test event, or a MinIO event without records
            }
            throw new InvalidNotificationException(
                    "notification has no Records[]; expected MinIO or S3 event JSON");
        }
        if (!records.isArray()) {
            throw new InvalidNotificationException("notification Records must be an array");
        }
        List<S3ObjectEvent> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            events.add(record(records.get(i), i));
        }
        return events;
    }

    /** {@link #parse} and {@link S3ObjectEvent#toEvent} in one. */
    public static List<Event> events(byte[] json) {
        List<S3ObjectEvent> parsed = parse(json);
        List<Event> events = new ArrayList<>(parsed.size());
        for (S3ObjectEvent e : parsed) {
            events.add(e.toEvent());
        }
        return events;
    }

    /**
     * {@code s3:ObjectCreated:Put} from either {@code s3:ObjectCreated:Put} or AWS's {@code
     * ObjectCreated:Put}.
     */
    public static String normalizeEventName(String name) {
        return EventTypes.s3(name);
    }

    private static S3ObjectEvent record(JsonNode r, int index) {
        String where = "Records[" + index + "]";
        String eventName = text(r, "eventName", where);
        String bucket = text(r.path("s3").path("bucket"), "name", where + ".s3.bucket");
        JsonNode object = r.path("s3").path("object");
        String rawKey = text(object, "key", where + ".s3.object");
        String key;
        try {
            key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidNotificationException(
                    where
                            + ".s3.object.key '"
                            + rawKey
                            + "' is not URL-encoded: "
                            + e.getMessage());
        }
        Instant time;
        String eventTime = text(r, "eventTime", where);
        try {
            time = Instant.parse(eventTime);
        } catch (DateTimeParseException e) {
            throw new InvalidNotificationException(
                    where + ".eventTime '" + eventTime + "' is not an ISO-8601 instant");
        }
        return new S3ObjectEvent(
                normalizeEventName(eventName),
                bucket,
                key,
                time,
                object.path("size").asLong(0),
                optional(object, "eTag"),
                optional(object, "contentType"),
                optional(object, "versionId"),
                optional(object, "sequencer"));
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new InvalidNotificationException(
                    where + "." + field + " is missing or not a string");
        }
        return v.asText();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private S3Notifications() {}
}
