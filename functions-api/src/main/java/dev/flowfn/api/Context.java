package dev.flowfn.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a handler knows about the invocation it is running, and what it can do besides return. */
public interface Context {

    String functionName();

    /** The deployed version, monotonic per function. */
    long functionVersion();

    /** Identifies this invocation; the same for every attempt of it. */
    String invocationId();

    /** 1 for the first attempt, 2 for the first retry, ... */
    int attempt();

    int memoryMb();

    /** When the platform gives up on this attempt. */
    Instant deadline();

    default Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Lines logged here land on the platform's log topic, tagged with this invocation. */
    FunctionLogger logger();

    /**
     * Emits a new event. Emitted events are published with the result, in the same exactly-once
     * transaction, and only if this attempt succeeds.
     */
    void emit(OutgoingEvent event);

    /**
     * Reports how far a long-running invocation has come, e.g. {@code progress(0.4, "exported
     * 40,000 of 100,000 records")}. The platform publishes it at once, while the handler still runs
     * (not with the result): the latest report shows in {@code flowfn describe NAME} and as a
     * {@code [progress 40%]} line in {@code flowfn logs NAME}. Reports closer together than a
     * second are coalesced (the newest wins). Calling it is cheap; it never blocks on Kafka.
     *
     * @param fraction done so far, from 0.0 to 1.0, or {@code Double.NaN} when unknown
     * @throws IllegalArgumentException if {@code fraction} is outside 0..1 (and not NaN)
     */
    default void progress(double fraction, String message) {
        logger().info(Progress.line(fraction, message));
    }

    /** Reports progress without a fraction: {@code progress(Double.NaN, message)}. */
    default void progress(String message) {
        progress(Double.NaN, message);
    }

    /**
     * The function's environment variables (from {@code deploy --env K=V}), with those the platform
     * provides: {@code FLOWFN_S3_ENDPOINT}, {@code FLOWFN_S3_ACCESS_KEY}, {@code
     * FLOWFN_S3_SECRET_KEY} (its object store; a {@code --env} of the same name wins).
     * Unmodifiable.
     */
    Map<String, String> env();

    default Optional<String> env(String name) {
        return Optional.ofNullable(env().get(name));
    }
}
