package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/** {@code LOAD} (job to worker): load a function version's code before its first INVOKE. */
public record Load(
        String function,
        int version,
        String handler,
        String codeDir,
        int memoryMb,
        Map<String, String> env)
        implements Message {

    public Load {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(codeDir, "codeDir");
        env = Header.copy(env);
    }

    @Override
    public MessageType type() {
        return MessageType.LOAD;
    }

    @Override
    public ObjectNode header() {
        ObjectNode h = Header.object();
        h.put("function", function).put("version", version).put("handler", handler);
        h.put("codeDir", codeDir).put("memoryMb", memoryMb);
        h.set("env", Header.strings(env));
        return h;
    }

    static Load of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new Load(
                h.text("function"),
                h.smallInteger("version"),
                h.text("handler"),
                h.text("codeDir"),
                h.smallInteger("memoryMb"),
                h.stringMap("env"));
    }
}
