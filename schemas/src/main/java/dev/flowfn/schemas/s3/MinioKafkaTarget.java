package dev.flowfn.schemas.s3;

import dev.flowfn.schemas.Event;
import java.util.List;

/**
 * Records that MinIO's own Kafka notification target writes ({@code MINIO_NOTIFY_KAFKA_*}), as
 * Flowfn events: the Kafka-native S3 source. MinIO writes one record per notification, key {@code
 * <bucket>/<object key>}, value the notification JSON {@code {"EventName", "Key", "Records":[one
 * record]}} (the same record shape as its webhook and listen API), so the value goes through {@link
 * S3Notifications} and the events are those of every other S3 source, with the same ids.
 *
 * <p>Thread-safe, stateless.
 */
public final class MinioKafkaTarget {

    /** The topic name Flowfn suggests for {@code MINIO_NOTIFY_KAFKA_TOPIC_<ID>}. */
    public static final String DEFAULT_TOPIC = "minio.events";

    /**
     * The events of one record of MinIO's Kafka target; none for a tombstone (null value).
     *
     * @param key the record key ({@code bucket/key}); only used in error messages
     * @throws InvalidNotificationException naming the record and what is wrong with its value
     */
    public static List<Event> events(byte[] key, byte[] value) {
        if (value == null) {
            return List.of();
        }
        try {
            return S3Notifications.events(value);
        } catch (InvalidNotificationException e) {
            String which =
                    key == null
                            ? "a MinIO Kafka-target record"
                            : "MinIO Kafka-target record '"
                                    + new String(key, java.nio.charset.StandardCharsets.UTF_8)
                                    + "'";
            throw new InvalidNotificationException(which + ": " + e.getMessage());
        }
    }

    private MinioKafkaTarget() {}
}
