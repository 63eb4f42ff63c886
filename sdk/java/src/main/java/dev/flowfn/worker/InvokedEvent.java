package dev.flowfn.worker;

import dev.flowfn.api.Event;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The handler's view of an INVOKE's event: the header's {@code event} object and the frame's body
 * as data. Like the in-TaskManager runtime's view, {@link #data()} returns a copy, so a handler
 * cannot change what another reads. Immutable.
 */
final class InvokedEvent implements Event {

    private final String id;
    private final String source;
    private final String type;
    private final String subject;
    private final Instant time;
    private final String dataContentType;
    private final byte[] data;
    private final Map<String, String> extensions;

    private InvokedEvent(
            String id,
            String source,
            String type,
            String subject,
            Instant time,
            String dataContentType,
            byte[] data,
            Map<String, String> extensions) {
        this.id = id;
        this.source = source;
        this.type = type;
        this.subject = subject;
        this.time = time;
        this.dataContentType = dataContentType;
        this.data = data;
        this.extensions = extensions;
    }

    static InvokedEvent of(Header e, byte[] data) throws ProtocolException {
        return new InvokedEvent(
                e.text("id"),
                e.text("source"),
                e.text("type"),
                e.textOrNull("subject"),
                Instant.ofEpochMilli(e.integer("time")),
                e.textOrNull("datacontenttype"),
                data,
                e.strings("extensions"));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    @Override
    public Instant time() {
        return time;
    }

    @Override
    public Optional<String> dataContentType() {
        return Optional.ofNullable(dataContentType);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public Map<String, String> extensions() {
        return extensions;
    }

    @Override
    public String toString() {
        return "Event{" + id + ", " + type + ", " + data.length + " bytes}";
    }
}
