package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;

/**
 * One frame as it travels: a message type, a JSON header and a body of raw bytes. {@link Message}
 * gives the typed view of a frame.
 *
 * <p>Not copied: the header node and the body array are the caller's, and must not be changed once
 * the frame is handed over.
 *
 * @param type the message type
 * @param header the header object; keys keep their order
 * @param body the body bytes, empty when the message has none
 */
public record Frame(MessageType type, ObjectNode header, byte[] body) {

    static final byte[] NO_BODY = new byte[0];

    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(header, "header");
        body = body == null ? NO_BODY : body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f
                && type == f.type
                && header.equals(f.header)
                && Arrays.equals(body, f.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, header, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return type.name() + " " + header + " (" + body.length + " body bytes)";
    }
}
