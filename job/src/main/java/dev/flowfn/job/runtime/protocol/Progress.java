package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code PROGRESS} (worker to job): a progress report of a running invocation.
 *
 * @param fraction 0..1, or null when unknown
 * @param time milliseconds since the epoch
 */
public record Progress(String id, Double fraction, String message, long time) implements Message {

    public Progress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public MessageType type() {
        return MessageType.PROGRESS;
    }

    @Override
    public ObjectNode header() {
        return Header.object()
                .put("id", id)
                .put("fraction", fraction)
                .put("message", message)
                .put("time", time);
    }

    static Progress of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new Progress(
                h.text("id"), h.numberOrNull("fraction"), h.text("message"), h.integer("time"));
    }
}
