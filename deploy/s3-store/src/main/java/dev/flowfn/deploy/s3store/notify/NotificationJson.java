package dev.flowfn.deploy.s3store.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Writes a change as the JSON body MinIO's webhook target POSTs: {@code {"EventName", "Key",
 * "Records": [one S3 event record]}}. As in MinIO, {@code Key} is {@code bucket/key} as is, while
 * {@code Records[0].s3.object.key} is URL-encoded (spaces as {@code +}), and the sequencer is the
 * upper-case hex of the event's nanosecond time.
 *
 * <p>Stateless and thread-safe.
 */
public final class NotificationJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "";
    private static final String PRINCIPAL = "flowfn-local";

    private NotificationJson() {}

    public static byte[] write(ObjectChange change, String sequencer, String endpoint) {
        ObjectNode root = JSON.createObjectNode();
        root.put("EventName", change.eventName());
        root.put("Key", change.bucket() + "/" + change.key());
        ObjectNode record = root.putArray("Records").addObject();
        record.put("eventVersion", "2.0");
        record.put("eventSource", "minio:s3");
        record.put("awsRegion", REGION);
        record.put(
                "eventTime",
                DateTimeFormatter.ISO_INSTANT.format(change.time().truncatedTo(ChronoUnit.MILLIS)));
        record.put("eventName", change.eventName());
        record.putObject("userIdentity").put("principalId", PRINCIPAL);
        ObjectNode params = record.putObject("requestParameters");
        params.put("principalId", PRINCIPAL);
        params.put("region", REGION);
        params.put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", sequencer);
        response.put("x-minio-origin-endpoint", endpoint);
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "Config");
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", change.bucket());
        bucket.putObject("ownerIdentity").put("principalId", PRINCIPAL);
        bucket.put("arn", "arn:aws:s3:::" + change.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", URLEncoder.encode(change.key(), StandardCharsets.UTF_8));
        if (change.size() >= 0) {
            object.put("size", change.size());
        }
        if (change.eTag() != null) {
            object.put("eTag", change.eTag());
        }
        if (change.contentType() != null) {
            object.put("contentType", change.contentType());
            object.putObject("userMetadata").put("content-type", change.contentType());
        }
        if (change.versionId() != null) {
            object.put("versionId", change.versionId());
        }
        object.put("sequencer", sequencer);
        ObjectNode source = record.putObject("source");
        source.put("host", "127.0.0.1");
        source.put("port", "");
        source.put("userAgent", "flowfn-s3-store");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a notification", e);
        }
    }
}
