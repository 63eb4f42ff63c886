package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code LOAD_FAILED} (worker to job): a {@link Load} failed.
 *
 * @param kind {@code CODE_LOAD}
 * @param message what failed, naming the fix
 */
public record LoadFailed(String function, int version, String kind, String message)
        implements Message {

    public LoadFailed {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public MessageType type() {
        return MessageType.LOAD_FAILED;
    }

    @Override
    public ObjectNode header() {
        return Header.object()
                .put("function", function)
                .put("version", version)
                .put("kind", kind)
                .put("message", message);
    }

    static LoadFailed of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new LoadFailed(
                h.text("function"), h.smallInteger("version"), h.text("kind"), h.text("message"));
    }
}
