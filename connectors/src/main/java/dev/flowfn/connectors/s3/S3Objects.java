package dev.flowfn.connectors.s3;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.contract.EventTypes;
import dev.flowfn.schemas.s3.S3ObjectEvent;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;

/** Listing a bucket and turning object changes into Connect records; shared by both tasks. */
final class S3Objects {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    static MinioClient client(S3SourceConfig config) {
        MinioClient.Builder b = MinioClient.builder().endpoint(config.endpoint());
        if (!config.accessKey().isEmpty()) {
            b.credentials(config.accessKey(), config.secretKey());
        }
        return b.region(config.region()).build();
    }

    /**
     * Lists the bucket (prefix, suffix) and returns the object versions the checkpoint does not
     * know yet, oldest first, as {@code s3:ObjectCreated:Put} events.
     *
     * @throws RetriableException when the store cannot be reached (the task tries again)
     * @throws ConnectException when the store refuses (no such bucket, bad credentials)
     */
    static List<S3ObjectEvent> newObjects(
            MinioClient client, S3SourceConfig config, ListingCheckpoint checkpoint) {
        List<S3ObjectEvent> found = new ArrayList<>();
        Iterable<Result<Item>> items =
                client.listObjects(
                        ListObjectsArgs.builder()
                                .bucket(config.bucket())
                                .prefix(config.prefix())
                                .recursive(true)
                                .build());
        try {
            for (Result<Item> result : items) {
                Item item = result.get();
                String key = item.objectName();
                if (item.isDir() || item.isDeleteMarker() || !key.endsWith(config.suffix())) {
                    continue;
                }
                long modified = item.lastModified().toInstant().toEpochMilli();
                String eTag = unquote(item.etag());
                if (checkpoint.isNew(key, eTag, modified)) {
                    found.add(listed(config.bucket(), key, item.size(), eTag, modified));
                }
            }
        } catch (Exception e) {
            throw listingFailed(config, e);
        }
        found.sort(Comparator.comparing(S3ObjectEvent::time).thenComparing(S3ObjectEvent::key));
        return found;
    }

    /**
     * A listed object as a created event. Its sequencer is the modification time in hex epoch
     * nanoseconds (MinIO's own sequencer format, at the millisecond precision of a listing), so a
     * re-upload of identical bytes is a new event and a re-listing of one version the same one.
     */
    static S3ObjectEvent listed(String bucket, String key, long size, String eTag, long modified) {
        return new S3ObjectEvent(
                EventTypes.S3_OBJECT_CREATED_PUT,
                bucket,
                key,
                Instant.ofEpochMilli(modified),
                size,
                eTag,
                null,
                null,
                Long.toHexString(modified * 1_000_000L).toUpperCase(java.util.Locale.ROOT));
    }

    static SourceRecord record(
            S3SourceConfig config,
            Map<String, ?> partition,
            Map<String, ?> offset,
            S3ObjectEvent change) {
        return new SourceRecord(
                partition,
                offset,
                config.topic(),
                null,
                Schema.BYTES_SCHEMA,
                change.key().getBytes(StandardCharsets.UTF_8),
                Schema.BYTES_SCHEMA,
                EVENTS.encode(change.toEvent()),
                change.time().toEpochMilli());
    }

    static String unquote(String eTag) {
        if (eTag == null) {
            return null;
        }
        String t = eTag.strip();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return t.isEmpty() ? null : t;
    }

    private static RuntimeException listingFailed(S3SourceConfig config, Exception e) {
        String where =
                "listing s3://"
                        + config.bucket()
                        + "/"
                        + config.prefix()
                        + " at "
                        + config.endpoint();
        if (e instanceof io.minio.errors.ErrorResponseException r) {
            String code = r.errorResponse().code();
            String fix =
                    switch (code) {
                        case "NoSuchBucket" -> "create the bucket or fix " + S3SourceConfig.BUCKET;
                        case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch" ->
                                "check "
                                        + S3SourceConfig.ACCESS_KEY
                                        + " and "
                                        + S3SourceConfig.SECRET_KEY
                                        + " (and the key's policy allows s3:ListBucket)";
                        default -> "see the store's message";
                    };
            return new ConnectException(
                    where + " failed: " + code + " (" + r.getMessage() + "); " + fix);
        }
        return new RetriableException(where + " failed, will retry: " + e, e);
    }

    private S3Objects() {}
}
