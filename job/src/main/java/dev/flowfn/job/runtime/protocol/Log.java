package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code LOG} (worker to job): a log line of an invocation.
 *
 * @param level {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}
 * @param time milliseconds since the epoch
 */
public record Log(String id, String level, String message, long time) implements Message {

    public Log {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public MessageType type() {
        return MessageType.LOG;
    }

    @Override
    public ObjectNode header() {
        return Header.object()
                .put("id", id)
                .put("level", level)
                .put("message", message)
                .put("time", time);
    }

    static Log of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new Log(h.text("id"), h.text("level"), h.text("message"), h.integer("time"));
    }
}
