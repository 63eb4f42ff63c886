package dev.flowfn.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An event a handler emits through {@link Context#emit}. It goes to the platform's event topic,
 * where it can trigger other functions (chaining); or, with {@link #toTopic}, its data goes as is
 * to a Kafka topic of the user's (key = subject), in the same exactly-once transaction.
 */
public final class OutgoingEvent {

    private final String type;
    private final String subject;
    private final byte[] data;
    private final String contentType;
    private final String topic;

    private static final java.util.regex.Pattern TOPIC =
            java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private OutgoingEvent(String type, String subject, byte[] data, String contentType) {
        this(type, subject, data, contentType, null);
    }

    private OutgoingEvent(
            String type, String subject, byte[] data, String contentType, String topic) {
        this.topic = topic;
        this.type = type;
        this.subject = subject;
        this.data = data;
        this.contentType = contentType;
    }

    public static OutgoingEvent of(String type, String subject, byte[] data, String contentType) {
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) {
            throw new IllegalArgumentException("event type must not be blank");
        }
        return new OutgoingEvent(
                type, subject, Objects.requireNonNull(data, "data").clone(), contentType);
    }

    public static OutgoingEvent json(String type, String subject, String json) {
        return of(type, subject, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /**
     * This event, to go to Kafka topic {@code topic} instead of the platform's event topic: the
     * record's value is {@link #data()} as is (e.g. the function's own Avro), its key the subject,
     * its headers {@code content-type} and {@code ce_type}. It then triggers nothing but a {@code
     * kafka:topic=} trigger on that topic.
     *
     * @throws IllegalArgumentException if {@code topic} is not a Kafka topic name or is one of the
     *     platform's own ({@code flowfn.*})
     */
    public OutgoingEvent toTopic(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (!TOPIC.matcher(topic).matches()
                || topic.startsWith("flowfn.")
                || topic.startsWith("__")) {
            throw new IllegalArgumentException(
                    "topic '"
                            + topic
                            + "' must be a Kafka topic name ([a-zA-Z0-9._-], at most 249) and not"
                            + " one of the platform's (flowfn.*, __*)");
        }
        return new OutgoingEvent(type, subject, data, contentType, topic);
    }

    /** The Kafka topic this event goes to instead of the platform's event topic, if any. */
    public Optional<String> topic() {
        return Optional.ofNullable(topic);
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
                + type
                + ", subject="
                + subject
                + ", "
                + data.length
                + " bytes"
                + (topic == null ? "" : ", to " + topic)
                + "}";
    }
}
