package dev.flowfn.schemas.contract;

/**
 * The {@code source} attribute (a URI reference) of the events each producer writes (CONTRACTS.md,
 * "Event types"). Informational: nothing matches on a source, but consumers see it.
 */
public final class EventSources {

    /** Timer ticks. */
    public static final String TIMER = "flowfn://timer";

    /** Direct invocations through the control API ({@code flowfn invoke}). */
    public static final String INVOKE = "flowfn://invoke";

    /**
     * HTTP requests: the gateway, followed by the matched route ({@code
     * flowfn://gateway/u/{user}}).
     */
    public static final String GATEWAY_PREFIX = "flowfn://gateway";

    /** {@code kafka://<topic>/<partition>}: a record of a user's topic. */
    public static String kafka(String topic, int partition) {
        return "kafka://" + topic + "/" + partition;
    }

    /** {@code s3://<bucket>}: an object-storage notification. */
    public static String s3(String bucket) {
        return "s3://" + bucket;
    }

    /** {@code mqtt://<host>:<port>}: a message from that broker. */
    public static String mqtt(String host, int port) {
        return "mqtt://" + host + ":" + port;
    }

    /** {@code flowfn://functions/<name>}: an event a function emitted (chaining). */
    public static String function(String name) {
        return "flowfn://functions/" + name;
    }

    private EventSources() {}
}
