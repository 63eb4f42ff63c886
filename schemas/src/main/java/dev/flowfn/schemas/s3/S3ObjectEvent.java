package dev.flowfn.schemas.s3;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.JsonText;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventIds;
import dev.flowfn.schemas.contract.EventSources;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object-storage change, as every S3 source (webhook, listen API, Kafka target, polling, the
 * local store) reports it, and the Flowfn {@link Event} it becomes.
 *
 * @param eventName always with the {@code s3:} prefix, e.g. {@code s3:ObjectCreated:Put}
 * @param key the object key, decoded
 * @param sequencer the source's identity of this change (MinIO/AWS sequencer), or null; the event
 *     id falls back to the version id, then the eTag
 */
public record S3ObjectEvent(
        String eventName,
        String bucket,
        String key,
        Instant time,
        long size,
        String eTag,
        String contentType,
        String versionId,
        String sequencer) {

    /**
     * {@code s3:<bucket>/<key>@<identity>:<eventName>} ({@link EventIds#s3Object}): the same change
     * reported twice (a redelivered notification) gets the same id, which the job deduplicates.
     */
    public String id() {
        String identity =
                firstNonBlank(sequencer, versionId, eTag, String.valueOf(time.toEpochMilli()));
        return EventIds.s3Object(bucket, key, identity, eventName);
    }

    /**
     * The event of this change, with a source identity: every S3 source (connectors, webhook,
     * MinIO's Kafka target) builds its events here.
     */
    public Event toEvent() {
        Map<String, String> extensions = new LinkedHashMap<>();
        extensions.put(EventExtensions.S3_BUCKET, bucket);
        extensions.put(EventExtensions.S3_KEY, key);
        return Event.newBuilder()
                .setId(id())
                .setSource(EventSources.s3(bucket))
                .setType(eventName)
                .setSubject(key)
                .setTime(time)
                .setDatacontenttype("application/json")
                .setData(ByteBuffer.wrap(dataJson().getBytes(StandardCharsets.UTF_8)))
                .setExtensions(extensions)
                .setSourceIdentity(true)
                .build();
    }

    /**
     * The event's data: {@code
     * {"bucket","key","size","eTag","contentType","versionId","sequencer"}}.
     */
    public String dataJson() {
        StringBuilder b = new StringBuilder(128).append('{');
        field(b, "bucket", bucket).append(',');
        field(b, "key", key).append(',');
        b.append("\"size\":").append(size).append(',');
        field(b, "eTag", eTag).append(',');
        field(b, "contentType", contentType).append(',');
        field(b, "versionId", versionId).append(',');
        field(b, "sequencer", sequencer);
        return b.append('}').toString();
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        return b.append('"').append(name).append("\":").append(JsonText.quote(value));
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }
}
