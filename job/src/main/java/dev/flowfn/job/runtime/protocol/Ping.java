package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code PING} (job to worker: are you there? The worker echoes the nonce in a {@link Pong}, also
 * while invocations run).
 */
public record Ping(long nonce) implements Message {

    @Override
    public MessageType type() {
        return MessageType.PING;
    }

    @Override
    public ObjectNode header() {
        return Header.object().put("nonce", nonce);
    }

    static Ping of(Frame frame) throws ProtocolException {
        return new Ping(Header.of(frame).integer("nonce"));
    }
}
