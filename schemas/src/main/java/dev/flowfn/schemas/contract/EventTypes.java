package dev.flowfn.schemas.contract;

/**
 * The {@code type} attribute of every event the platform writes or matches (CONTRACTS.md, "Event
 * types"). Types follow the source's own names where it has them (S3/MinIO notification names); the
 * others are Flowfn's, dotted like CloudEvents types.
 */
public final class EventTypes {

    /**
     * Prefix of every object-storage notification type ({@code s3:ObjectCreated:Put}, {@code
     * s3:ObjectRemoved:Delete}, ...): the notification's own {@code eventName}.
     */
    public static final String S3_PREFIX = "s3:";

    /** Prefix of the types of an object created (put, copy, multipart upload completed). */
    public static final String S3_OBJECT_CREATED_PREFIX = S3_PREFIX + "ObjectCreated:";

    /** Prefix of the types of an object removed (delete, delete marker created). */
    public static final String S3_OBJECT_REMOVED_PREFIX = S3_PREFIX + "ObjectRemoved:";

    /** An object put; also what the polling and listing connectors report for a new object. */
    public static final String S3_OBJECT_CREATED_PUT = S3_OBJECT_CREATED_PREFIX + "Put";

    /** An MQTT message received by the MQTT connector. */
    public static final String MQTT_MESSAGE = "mqtt.message";

    /** A cron trigger's scheduled instant, written by the timer connector for one function. */
    public static final String TIMER_TICK = "timer.tick";

    /**
     * A request through the HTTP gateway. The user-facing copy is {@code
     * dev.flowfn.api.HttpRequest.TYPE} (functions-api depends on the JDK only); a job test checks
     * that both agree.
     */
    public static final String HTTP_REQUEST = "http.request";

    /**
     * A record read from a user's own Kafka topic, wrapped as an event by the job; also the type of
     * a plain record a function emits to such a topic.
     */
    public static final String KAFKA_RECORD = "kafka.record";

    /** A direct invocation ({@code flowfn invoke}, the control API) of one function. */
    public static final String FLOWFN_INVOKE = "flowfn.invoke";

    /** Whether {@code type} is an object-storage notification ({@code s3:*}). */
    public static boolean isS3(String type) {
        return type.startsWith(S3_PREFIX);
    }

    /**
     * {@code s3:ObjectCreated:Put} from either {@code s3:ObjectCreated:Put} or AWS's {@code
     * ObjectCreated:Put}.
     */
    public static String s3(String eventName) {
        return isS3(eventName) ? eventName : S3_PREFIX + eventName;
    }

    private EventTypes() {}
}
