package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** {@code LOADED} (worker to job): a {@link Load} succeeded, in {@code loadUs} microseconds. */
public record Loaded(String function, int version, long loadUs) implements Message {

    public Loaded {
        Objects.requireNonNull(function, "function");
    }

    @Override
    public MessageType type() {
        return MessageType.LOADED;
    }

    @Override
    public ObjectNode header() {
        return Header.object()
                .put("function", function)
                .put("version", version)
                .put("loadUs", loadUs);
    }

    static Loaded of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new Loaded(h.text("function"), h.smallInteger("version"), h.integer("loadUs"));
    }
}
