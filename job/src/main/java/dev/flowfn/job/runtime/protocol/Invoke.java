package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;

/**
 * {@code INVOKE} (job to worker): run one attempt of an invocation.
 *
 * @param id the invocation id, the same for every attempt
 * @param attempt 1 for the first
 * @param deadline milliseconds since the epoch; the job enforces it, by killing the worker
 * @param data the event's data (the body), not copied
 */
public record Invoke(
        String id,
        String function,
        int version,
        int attempt,
        long deadline,
        int memoryMb,
        InvokeEvent event,
        byte[] data)
        implements Message {

    public Invoke {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(event, "event");
        data = data == null ? Frame.NO_BODY : data;
    }

    @Override
    public MessageType type() {
        return MessageType.INVOKE;
    }

    @Override
    public ObjectNode header() {
        ObjectNode h = Header.object();
        h.put("id", id).put("function", function).put("version", version);
        h.put("attempt", attempt).put("deadline", deadline).put("memoryMb", memoryMb);
        h.set("event", event.toJson());
        return h;
    }

    /** Writes {@link #header} as it would serialize, without building it (the hot path). */
    void writeHeader(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("function", function);
        g.writeNumberField("version", version);
        g.writeNumberField("attempt", attempt);
        g.writeNumberField("deadline", deadline);
        g.writeNumberField("memoryMb", memoryMb);
        g.writeFieldName("event");
        event.writeJson(g);
        g.writeEndObject();
    }

    private static final PlainJson.Name ID = PlainJson.Name.of("id");
    private static final PlainJson.Name FUNCTION = PlainJson.Name.repeating("function");
    private static final PlainJson.Name VERSION = PlainJson.Name.of("version");
    private static final PlainJson.Name ATTEMPT = PlainJson.Name.of("attempt");
    private static final PlainJson.Name DEADLINE = PlainJson.Name.of("deadline");
    private static final PlainJson.Name MEMORY_MB = PlainJson.Name.of("memoryMb");
    private static final PlainJson.Name EVENT = PlainJson.Name.of("event");

    /**
     * Writes {@link #header} as it would serialize, if its strings are plain ({@link PlainJson}).
     */
    void writeHeader(PlainJson j) {
        j.startObject()
                .field(ID, id)
                .field(FUNCTION, function)
                .field(VERSION, version)
                .field(ATTEMPT, attempt)
                .field(DEADLINE, deadline)
                .field(MEMORY_MB, memoryMb);
        j.fieldName(EVENT);
        event.writeJson(j);
        j.endObject();
    }

    /**
     * About the bytes of the header as {@link #writeHeader} writes it, a little more for plain
     * strings: the field names, punctuation and numbers, plus the strings' lengths.
     */
    int headerSizeHint() {
        return 128 + id.length() + function.length() + event.sizeHint();
    }

    @Override
    public byte[] body() {
        return data;
    }

    static Invoke of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new Invoke(
                h.text("id"),
                h.text("function"),
                h.smallInteger("version"),
                h.smallInteger("attempt"),
                h.integer("deadline"),
                h.smallInteger("memoryMb"),
                InvokeEvent.of(h.object("event")),
                frame.body());
    }

    @Override
    public String toString() {
        return "Invoke[id=" + id + ", " + function + "@" + version + ", attempt " + attempt + "]";
    }
}
