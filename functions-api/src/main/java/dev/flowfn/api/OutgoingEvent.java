package dev.flowfn.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An event a handler emits through {@link Context#emit}. It goes to the platform's event topic,
 * where it can trigger other functions (chaining).
 */
public final class OutgoingEvent {

    private final String type;
    private final String subject;
    private final byte[] data;
    private final String contentType;

    private OutgoingEvent(String type, String subject, byte[] data, String contentType) {
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
                && Objects.equals(contentType, e.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, subject, Arrays.hashCode(data), contentType);
    }

    @Override
    public String toString() {
        return "OutgoingEvent{" + type + ", subject=" + subject + ", " + data.length + " bytes}";
    }
}
