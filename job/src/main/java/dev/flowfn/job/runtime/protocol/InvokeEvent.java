package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code event} of an {@link Invoke} header: the event's attributes (its data travels in the
 * body).
 *
 * @param subject or null
 * @param time milliseconds since the epoch
 * @param dataContentType or null ({@code datacontenttype} on the wire, as in CloudEvents)
 * @param sourceIdentity whether {@code id} is the source's own, so stable across redeliveries
 */
public record InvokeEvent(
        String id,
        String source,
        String type,
        String subject,
        long time,
        String dataContentType,
        boolean sourceIdentity,
        Map<String, String> extensions) {

    public InvokeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        extensions = Header.copy(extensions);
    }

    ObjectNode toJson() {
        ObjectNode e = Header.object();
        e.put("id", id).put("source", source).put("type", type).put("subject", subject);
        e.put("time", time).put("datacontenttype", dataContentType);
        e.put("sourceIdentity", sourceIdentity);
        e.set("extensions", Header.strings(extensions));
        return e;
    }

    /** Writes {@link #toJson} as it would serialize, without building it. */
    void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("source", source);
        g.writeStringField("type", type);
        g.writeStringField("subject", subject);
        g.writeNumberField("time", time);
        g.writeStringField("datacontenttype", dataContentType);
        g.writeBooleanField("sourceIdentity", sourceIdentity);
        g.writeObjectFieldStart("extensions");
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static final PlainJson.Name ID = PlainJson.Name.of("id");
    private static final PlainJson.Name SOURCE = PlainJson.Name.repeating("source");
    private static final PlainJson.Name TYPE = PlainJson.Name.repeating("type");
    private static final PlainJson.Name SUBJECT = PlainJson.Name.of("subject");
    private static final PlainJson.Name TIME = PlainJson.Name.of("time");
    private static final PlainJson.Name DATA_CONTENT_TYPE =
            PlainJson.Name.repeating("datacontenttype");
    private static final PlainJson.Name SOURCE_IDENTITY = PlainJson.Name.of("sourceIdentity");
    private static final PlainJson.Name EXTENSIONS = PlainJson.Name.of("extensions");

    void writeJson(PlainJson j) {
        j.startObject()
                .field(ID, id)
                .field(SOURCE, source)
                .field(TYPE, type)
                .field(SUBJECT, subject)
                .field(TIME, time)
                .field(DATA_CONTENT_TYPE, dataContentType)
                .field(SOURCE_IDENTITY, sourceIdentity);
        j.objectField(EXTENSIONS);
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject().endObject();
    }

    /**
     * About the bytes {@link #writeJson} writes for plain strings ({@link Invoke#headerSizeHint}).
     */
    int sizeHint() {
        int size = 160 + id.length() + source.length() + type.length();
        size += length(subject) + length(dataContentType);
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            size += 6 + e.getKey().length() + length(e.getValue());
        }
        return size;
    }

    private static int length(String s) {
        return s == null ? 4 : s.length();
    }

    static InvokeEvent of(Header e) throws ProtocolException {
        return new InvokeEvent(
                e.text("id"),
                e.text("source"),
                e.text("type"),
                e.textOrNull("subject"),
                e.integer("time"),
                e.textOrNull("datacontenttype"),
                e.bool("sourceIdentity"),
                e.stringMap("extensions"));
    }
}
