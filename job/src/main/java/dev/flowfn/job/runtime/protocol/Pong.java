package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code PONG} (worker to job: the answer to a {@link Ping}, with its nonce). */
public record Pong(long nonce) implements Message {

    @Override
    public MessageType type() {
        return MessageType.PONG;
    }

    @Override
    public ObjectNode header() {
        return Header.object().put("nonce", nonce);
    }

    static Pong of(Frame frame) throws ProtocolException {
        return new Pong(Header.of(frame).integer("nonce"));
    }
}
