package dev.flowfn.schemas.contract;

/**
 * The names of the CloudEvents extension attributes in {@code Event.extensions} (CONTRACTS.md,
 * "Extensions"). CloudEvents allows lower-case letters and digits only, hence the run-together
 * names. Each names who writes it and who reads it.
 */
public final class EventExtensions {

    /**
     * The one function a direct invocation is for (invoke, HTTP gateway); the job then uses the
     * event id as the invocation id and matches no trigger.
     */
    public static final String TARGET = "flowfntarget";

    /**
     * The lowest function version a direct invocation accepts (decimal; the version the invoker saw
     * deployed). The job holds the invocation until the registry has that version.
     */
    public static final String MIN_VERSION = "flowfnminversion";

    /**
     * Which version of the {@link #TARGET} function a direct invocation runs: a version number or
     * an alias; absent, the latest (invoke of {@code name:qualifier}, an HTTP trigger with {@code
     * alias=} or {@code version=}).
     */
    public static final String QUALIFIER = "flowfnqualifier";

    /** The function a {@code timer.tick} is for (timer connector; the job matches by it). */
    public static final String TIMER_FUNCTION = "flowfntimer";

    /**
     * The text of the cron trigger a {@code timer.tick} was scheduled by; the job runs the tick
     * only while the function still has that trigger.
     */
    public static final String TIMER_TRIGGER = "timertrigger";

    /** The MQTT topic a message was published on (the job matches mqtt triggers against it). */
    public static final String MQTT_TOPIC = "mqtttopic";

    /** The QoS the message was received with, {@code 0}, {@code 1} or {@code 2}. */
    public static final String MQTT_QOS = "mqttqos";

    /** The device id taken from the topic, when the connector is configured to find one. */
    public static final String MQTT_DEVICE = "mqttdevice";

    /**
     * On the event of a dead letter only: the size in bytes of an MQTT payload that was over the
     * limit (the event carries no data then).
     */
    public static final String MQTT_PAYLOAD_BYTES = "mqttpayloadbytes";

    /** The bucket of an {@code s3:*} event (the job matches s3 triggers by it). */
    public static final String S3_BUCKET = "s3bucket";

    /** The object key, decoded, of an {@code s3:*} event. */
    public static final String S3_KEY = "s3key";

    /**
     * The extensions of an {@code http.request} event, written by the HTTP gateway and read by
     * {@code dev.flowfn.api.HttpRequest}, whose constants are the user-facing copies (a job test
     * checks that both agree): method, path, matched route, remote address, and route parameters,
     * query and headers as form-encoded maps.
     */
    public static final String HTTP_METHOD = "httpmethod";

    /** See {@link #HTTP_METHOD}. */
    public static final String HTTP_PATH = "httppath";

    /** See {@link #HTTP_METHOD}. */
    public static final String HTTP_ROUTE = "httproute";

    /** See {@link #HTTP_METHOD}. */
    public static final String HTTP_REMOTE = "httpremote";

    /** See {@link #HTTP_METHOD}. */
    public static final String HTTP_PARAMS = "httpparams";

    /** See {@link #HTTP_METHOD}. */
    public static final String HTTP_QUERY = "httpquery";

    /** See {@link #HTTP_METHOD}. */
    public static final String HTTP_HEADERS = "httpheaders";

    /**
     * Where the job pushes the result of a synchronous HTTP request as soon as it is written (an
     * {@code http://} URL of the gateway instance that holds the request); the committed record on
     * {@code flowfn.results} follows as for every invocation. Not a secret: the gateway takes a
     * pushed result only for a request it is waiting for, by its unguessable id.
     */
    public static final String REPLY_TO = "flowfnreplyto";

    private EventExtensions() {}
}
