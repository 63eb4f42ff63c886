package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * {@code RESULT} (worker to job): the last frame of an invocation's attempt, {@link Ok} or {@link
 * Error} ({@code ok} in the header tells which).
 */
public sealed interface Result extends Message permits Result.Ok, Result.Error {

    /** The invocation id. */
    String id();

    /** How long the handler ran, in microseconds, as the worker measured it. */
    long durationUs();

    @Override
    default MessageType type() {
        return MessageType.RESULT;
    }

    static Result of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        if (h.bool("ok")) {
            return new Ok(
                    h.text("id"),
                    h.textOrNull("contentType"),
                    h.smallInteger("status"),
                    h.stringMap("headers"),
                    h.integer("durationUs"),
                    frame.body());
        }
        return new Error(
                h.text("id"),
                h.text("kind"),
                h.text("message"),
                h.textOrNull("stack"),
                h.integer("durationUs"));
    }

    /**
     * The attempt succeeded.
     *
     * @param contentType or null
     * @param status the HTTP status for HTTP triggers, 200 by default
     * @param headers HTTP headers for HTTP triggers
     * @param data the result's data (the body), not copied
     */
    record Ok(
            String id,
            String contentType,
            int status,
            Map<String, String> headers,
            long durationUs,
            byte[] data)
            implements Result {

        public Ok {
            Objects.requireNonNull(id, "id");
            headers = Header.copy(headers);
            data = data == null ? Frame.NO_BODY : data;
        }

        @Override
        public ObjectNode header() {
            ObjectNode h = Header.object();
            h.put("id", id).put("ok", true).put("contentType", contentType).put("status", status);
            h.set("headers", Header.strings(headers));
            h.put("durationUs", durationUs);
            return h;
        }

        @Override
        public byte[] body() {
            return data;
        }
    }

    /**
     * The attempt failed.
     *
     * @param kind {@code HANDLER_ERROR}, {@code BAD_RESULT} or {@code UNKNOWN_FUNCTION}
     * @param stack or null
     */
    record Error(String id, String kind, String message, String stack, long durationUs)
            implements Result {

        public Error {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public ObjectNode header() {
            ObjectNode h = Header.object();
            h.put("id", id).put("ok", false).put("kind", kind).put("message", message);
            h.put("stack", stack).put("durationUs", durationUs);
            return h;
        }
    }
}
