package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code HELLO} (worker to job): the first frame of a session.
 *
 * @param protocol the protocol version the worker speaks (1)
 * @param runtime {@code nodejs}, {@code python}, {@code java}
 * @param sdk the worker's SDK version
 * @param concurrency how many invocations it runs at once: the job keeps at most that many
 *     outstanding
 * @param workerId its {@code FLOWFN_WORKER_ID}, or null when it does not say (the field is then
 *     left out)
 */
public record Hello(
        int protocol, String runtime, String sdk, long pid, int concurrency, String workerId)
        implements Message {

    public Hello {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(sdk, "sdk");
    }

    @Override
    public MessageType type() {
        return MessageType.HELLO;
    }

    @Override
    public ObjectNode header() {
        ObjectNode h = Header.object();
        h.put("protocol", protocol).put("runtime", runtime).put("sdk", sdk).put("pid", pid);
        h.put("concurrency", concurrency);
        if (workerId != null) {
            h.put("workerId", workerId);
        }
        return h;
    }

    static Hello of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new Hello(
                h.smallInteger("protocol"),
                h.text("runtime"),
                h.text("sdk"),
                h.integer("pid"),
                h.smallInteger("concurrency"),
                h.textOrNull("workerId"));
    }
}
