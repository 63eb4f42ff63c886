package dev.flowfn.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An incoming event, shaped like a CloudEvents 1.0 event. Types follow the source's own names:
 * {@code s3:ObjectCreated:Put}, {@code mqtt.message}, {@code timer.tick}, {@code http.request},
 * {@code kafka.record}, {@code flowfn.invoke}.
 */
public interface Event {

    /** Identifies the event; stable across redeliveries of the same source event. */
    String id();

    /** Where the event came from, as a URI reference such as {@code kafka://words/0}. */
    String source();

    String type();

    /** What the event is about (object key, device id, record key), if anything. */
    Optional<String> subject();

    Instant time();

    /** Media type of {@link #data()}, such as {@code application/json}. */
    Optional<String> dataContentType();

    /** The payload; empty when the event carries none. Never null. */
    byte[] data();

    /** The payload decoded as UTF-8. */
    default String dataAsString() {
        return new String(data(), StandardCharsets.UTF_8);
    }

    /** CloudEvents extension attributes. Unmodifiable. */
    Map<String, String> extensions();
}
