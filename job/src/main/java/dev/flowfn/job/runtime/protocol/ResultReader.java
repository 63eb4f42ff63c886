package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a plain RESULT header straight from its bytes with a streaming parser, without building a
 * JSON tree: the job's hot path when results come back. It takes only what it is sure of (each
 * known field of its type, nothing after the object); for anything else it answers null, and the
 * caller reads the frame the general way ({@link Result#of}), which accepts or refuses it with the
 * usual message. So both ways agree on every header.
 *
 * <p>Stateless; any thread.
 */
final class ResultReader {

    private ResultReader() {}

    /**
     * The RESULT of a header, or null when it is not plain (let {@link Result#of} judge it).
     *
     * @param body the frame's body, not copied
     */
    static Result read(byte[] bytes, int offset, int length, byte[] body) {
        try (JsonParser p = FrameCodec.JSON.getFactory().createParser(bytes, offset, length)) {
            return read(p, body);
        } catch (IOException e) {
            return null; // not valid JSON: the general way says so
        }
    }

    private static Result read(JsonParser p, byte[] body) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String id = null;
        Boolean ok = null;
        String contentType = null;
        Integer status = null;
        Map<String, String> headers = Map.of();
        Long durationUs = null;
        String kind = null;
        String message = null;
        String stack = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            boolean string = t == JsonToken.VALUE_STRING;
            boolean stringOrNull = string || t == JsonToken.VALUE_NULL;
            boolean integer = t == JsonToken.VALUE_NUMBER_INT;
            switch (field) {
                case "id", "kind", "message" -> {
                    if (!string) {
                        return null;
                    }
                    switch (field) {
                        case "id" -> id = p.getText();
                        case "kind" -> kind = p.getText();
                        default -> message = p.getText();
                    }
                }
                case "contentType", "stack" -> {
                    if (!stringOrNull) {
                        return null;
                    }
                    String value = string ? p.getText() : null;
                    if (field.equals("stack")) {
                        stack = value;
                    } else {
                        contentType = value;
                    }
                }
                case "ok" -> {
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        return null;
                    }
                    ok = t == JsonToken.VALUE_TRUE;
                }
                case "status" -> {
                    if (!integer || p.getNumberType() != JsonParser.NumberType.INT) {
                        return null;
                    }
                    status = p.getIntValue();
                }
                case "durationUs" -> {
                    if (!integer || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        return null;
                    }
                    durationUs = p.getLongValue();
                }
                case "headers" -> {
                    headers = strings(p, t);
                    if (headers == null) {
                        return null;
                    }
                }
                default -> p.skipChildren(); // unknown fields are ignored, as protocol v1 asks
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT
                || p.nextToken() != null
                || ok == null
                || id == null
                || durationUs == null) {
            return null;
        }
        if (ok) {
            return status == null
                    ? null
                    : new Result.Ok(id, contentType, status, headers, durationUs, body);
        }
        return kind == null || message == null
                ? null
                : new Result.Error(id, kind, message, stack, durationUs);
    }

    /** An object of strings, or empty for null; null when it is anything else. */
    private static Map<String, String> strings(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (t != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            out.put(name, p.getText());
        }
        return out;
    }
}
