package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** {@code STOP} (job to worker): exit at once, with status 0. */
public record Stop(String reason) implements Message {

    public Stop {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public MessageType type() {
        return MessageType.STOP;
    }

    @Override
    public ObjectNode header() {
        return Header.object().put("reason", reason);
    }

    static Stop of(Frame frame) throws ProtocolException {
        return new Stop(Header.of(frame).text("reason"));
    }
}
