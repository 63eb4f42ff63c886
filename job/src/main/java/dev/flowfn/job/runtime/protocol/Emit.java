package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code EMIT} (worker to job): an event an invocation emitted, kept only if its attempt succeeds.
 *
 * @param id the invocation's id
 * @param eventType the emitted event's type ({@code type} on the wire; {@link #type()} is the
 *     message's)
 * @param subject or null
 * @param contentType or null
 * @param topic null for the platform's event topic, else a raw record for this Kafka topic
 * @param key the record's key, or null
 * @param data the event's data or the record's value (the body), not copied
 */
public record Emit(
        String id,
        String eventType,
        String subject,
        String contentType,
        String topic,
        String key,
        byte[] data)
        implements Message {

    public Emit {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventType, "eventType");
        data = data == null ? Frame.NO_BODY : data;
    }

    @Override
    public MessageType type() {
        return MessageType.EMIT;
    }

    @Override
    public ObjectNode header() {
        ObjectNode h = Header.object();
        h.put("id", id).put("type", eventType).put("subject", subject);
        h.put("contentType", contentType).put("topic", topic).put("key", key);
        return h;
    }

    @Override
    public byte[] body() {
        return data;
    }

    static Emit of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new Emit(
                h.text("id"),
                h.text("type"),
                h.textOrNull("subject"),
                h.textOrNull("contentType"),
                h.textOrNull("topic"),
                h.textOrNull("key"),
                frame.body());
    }
}
