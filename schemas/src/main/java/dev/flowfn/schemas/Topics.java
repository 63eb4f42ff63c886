package dev.flowfn.schemas;

import java.util.List;

/** The platform's Kafka topics. See DESIGN.md, "Topics". */
public final class Topics {

    /** Deployed FunctionSpecs keyed by name; compacted; a null value deletes. */
    public static final String FUNCTIONS = "flowfn.functions";

    /** Avro schema JSON keyed by fingerprint; compacted. */
    public static final String SCHEMAS = "flowfn.schemas";

    /** Events written by connectors, the gateway, invocations and chaining. */
    public static final String EVENTS = "flowfn.events";

    /** InvocationResults keyed by invocation id; exactly-once. */
    public static final String RESULTS = "flowfn.results";

    /** DeadLetters keyed by function name. */
    public static final String DLQ = "flowfn.dlq";

    /** LogRecords keyed by function name. */
    public static final String LOGS = "flowfn.logs";

    /**
     * The latest progress report of each function: LogRecords with {@code progress} set, keyed by
     * function name; compacted.
     */
    public static final String PROGRESS = "flowfn.progress";

    /** InvocationRecords (every attempt, metered) keyed by function name; off unless enabled. */
    public static final String INVOCATIONS = "flowfn.invocations";

    /** MeterWindows keyed by function name. */
    public static final String METERING = "flowfn.metering";

    /** Alerts (firing / resolved) keyed by function name. */
    public static final String ALERTS = "flowfn.alerts";

    /** FunctionKeys (HTTP invocation keys, hashed) keyed by key id; compacted. */
    public static final String KEYS = "flowfn.keys";

    /** Every topic the platform creates at start. */
    public static final List<String> ALL =
            List.of(
                    FUNCTIONS,
                    SCHEMAS,
                    EVENTS,
                    RESULTS,
                    DLQ,
                    LOGS,
                    PROGRESS,
                    KEYS,
                    INVOCATIONS,
                    METERING,
                    ALERTS);

    /** The topics that are compacted (the last value per key is the state). */
    public static final List<String> COMPACTED = List.of(FUNCTIONS, SCHEMAS, KEYS, PROGRESS);

    /** The platform's own topics, which a {@code kafka:topic=} trigger may not name. */
    public static boolean isInternal(String topic) {
        return topic.startsWith("flowfn.") || topic.startsWith("__");
    }

    private Topics() {}
}
