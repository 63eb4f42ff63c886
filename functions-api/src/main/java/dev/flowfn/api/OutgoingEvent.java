package dev.flowfn.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An event a handler emits through {@link Context#emit}. It goes to the platform's event topic,
 * where it can trigger other functions (chaining); or, made with {@link #record}, as a plain record
 * to a Kafka topic of the user's. Either way it is published in the invocation's exactly-once
 * transaction, only if the attempt succeeds.
 */
public final class OutgoingEvent {

    private final String type;
    private final String subject;
    private final byte[] data;
    private final String contentType;
    private final String topic;

    private static final java.util.regex.Pattern TOPIC =
            java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private OutgoingEvent(
            String type, String subject, byte[] data, String contentType, String topic) {
        this.type = type;
        this.subject = subject;
        this.data = data;
        this.contentType = contentType;
        this.topic = topic;
    }

    /**
     * A plain record for Kafka topic {@code topic} (key = {@code key}, value = {@code value} as
     * given, no event envelope), e.g. Avro rows an import writes for consumers of that topic. The
     * topic must exist (or the brokers create topics on first use).
     *
     * @throws IllegalArgumentException for a name Kafka refuses or a topic of the platform's own
     */
    public static OutgoingEvent record(String topic, String key, byte[] value) {
        Objects.requireNonNull(topic, "topic");
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException(
                    "topic '"
                            + topic
                            + "' is not a valid Kafka topic name ([a-zA-Z0-9._-], at most 249, not '.' or '..')");
        }
        if (topic.startsWith("flowfn.") || topic.startsWith("__")) {
            throw new IllegalArgumentException(
                    "topic '"
                            + topic
                            + "' is internal to Flowfn or Kafka; emit to a topic of your own, or use"
                            + " OutgoingEvent.of(...) for the event topic");
        }
        return new OutgoingEvent(
                "kafka.record", key, Objects.requireNonNull(value, "value").clone(), null, topic);
    }

    public static OutgoingEvent of(String type, String subject, byte[] data, String contentType) {
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) {
            throw new IllegalArgumentException("event type must not be blank");
        }
        return new OutgoingEvent(
                type, subject, Objects.requireNonNull(data, "data").clone(), contentType, null);
    }

    public static OutgoingEvent json(String type, String subject, String json) {
        return of(type, subject, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public String type() {
        return type;
    }

    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    public byte[] data() {
        return data.clone();
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** The Kafka topic of a {@link #record}; empty for an event on the platform's event topic. */
    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutgoingEvent e
                && type.equals(e.type)
                && Objects.equals(subject, e.subject)
                && Arrays.equals(data, e.data)
                && Objects.equals(contentType, e.contentType)
                && Objects.equals(topic, e.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, subject, Arrays.hashCode(data), contentType, topic);
    }

    @Override
    public String toString() {
        return "OutgoingEvent{"
                + (topic == null ? type : "record to " + topic)
                + ", subject="
                + subject
                + ", "
                + data.length
                + " bytes}";
    }
}
