package dev.flowfn.deploy.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Map;

/**
 * An answer of the REST API: a status and a body that Jackson writes as JSON (or no body, for 204).
 * The resources return these, so their logic is tested without HTTP.
 *
 * @param body records of {@code dev.flowfn.deploy.control.api}, lists of them, or plain maps; null
 *     for no body
 */
record JsonReply(int status, Object body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonReply ok(Object body) {
        return new JsonReply(200, body);
    }

    /** {@code {"error": message}}; the message says what to do. */
    static JsonReply error(int status, String message) {
        return new JsonReply(status, Map.of("error", message));
    }

    static JsonReply noContent() {
        return new JsonReply(204, null);
    }

    /** Writes this answer to a request. */
    void writeTo(Context ctx) {
        ctx.status(status);
        if (body == null) {
            return;
        }
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
