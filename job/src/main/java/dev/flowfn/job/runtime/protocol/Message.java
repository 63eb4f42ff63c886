package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A typed message of the runtime protocol v2: what the job sends ({@link Load}, {@link Invoke},
 * {@link Ping}, {@link Stop}) and what it receives ({@link Hello}, {@link Loaded}, {@link
 * LoadFailed}, {@link Result}, {@link Emit}, {@link Log}, {@link Progress}, {@link Pong}).
 *
 * <p>Each one writes its header with the keys in the order {@code sdk/PROTOCOL.md} lists them, so a
 * decoded frame re-encodes byte for byte. Body arrays are not copied: do not change them once
 * handed over.
 */
public sealed interface Message
        permits Load,
                Invoke,
                Ping,
                Stop,
                Hello,
                Loaded,
                LoadFailed,
                Result,
                Emit,
                Log,
                Progress,
                Pong {

    MessageType type();

    /** A new header object, keys in the protocol's order. */
    ObjectNode header();

    /** The body bytes; empty for messages without one. */
    default byte[] body() {
        return Frame.NO_BODY;
    }

    default Frame toFrame() {
        return new Frame(type(), header(), body());
    }

    /**
     * The typed view of a frame.
     *
     * @throws ProtocolException when the header lacks a field its type needs, or has one of the
     *     wrong type
     */
    static Message of(Frame frame) throws ProtocolException {
        return switch (frame.type()) {
            case HELLO -> Hello.of(frame);
            case LOADED -> Loaded.of(frame);
            case LOAD_FAILED -> LoadFailed.of(frame);
            case RESULT -> Result.of(frame);
            case EMIT -> Emit.of(frame);
            case LOG -> Log.of(frame);
            case PROGRESS -> Progress.of(frame);
            case PONG -> Pong.of(frame);
            case LOAD -> Load.of(frame);
            case INVOKE -> Invoke.of(frame);
            case INVOKE_COMPACT ->
                    throw new ProtocolException(
                            "INVOKE_COMPACT has a binary header: the job writes it, never reads it");
            case PING -> Ping.of(frame);
            case STOP -> Stop.of(frame);
        };
    }
}
