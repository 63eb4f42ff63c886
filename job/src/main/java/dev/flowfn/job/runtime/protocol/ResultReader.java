package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a plain RESULT header straight from its bytes with a streaming parser, without building a
 * JSON tree: the job's hot path when results come back. It takes only what it is sure of (each
 * known field of its type, nothing after the object); for anything else it answers null, and the
 * caller reads the frame the general way ({@link Result#of}), which accepts or refuses it with the
 * usual message. So both ways agree on every header.
 *
 * <p>The canonical successful result, which every SDK writes the same way, is matched byte by byte
 * first ({@link #canonicalOk}); only what does not match goes through the parser.
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
        Result canonical = canonicalOk(bytes, offset, offset + length, body);
        return canonical != null ? canonical : streamed(bytes, offset, length, body);
    }

    /** {@link #read} with the streaming parser alone. */
    static Result streamed(byte[] bytes, int offset, int length, byte[] body) {
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
                default -> p.skipChildren(); // unknown fields are ignored, as the protocol asks
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

    private static final byte[] ID = ascii("{\"id\":\"");
    private static final byte[] OK_CONTENT_TYPE = ascii(",\"ok\":true,\"contentType\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] STATUS = ascii(",\"status\":");
    private static final byte[] NO_HEADERS_DURATION = ascii(",\"headers\":{},\"durationUs\":");

    /**
     * The RESULT of a successful attempt with no HTTP headers, in the one shape every SDK writes
     * it: {@code {"id":"…","ok":true,"contentType":null or "…","status":N,"headers":{},
     * "durationUs":N}}, its strings printable ASCII without escapes, its numbers plain digits that
     * fit. Read by matching bytes, without a parser: most results on the job's hot path. Null for
     * anything else, which {@link #streamed} then reads.
     */
    static Result canonicalOk(byte[] b, int at, int end, byte[] body) {
        if (!startsWith(b, at, end, ID)) {
            return null;
        }
        at += ID.length;
        int idEnd = plainStringEnd(b, at, end);
        if (idEnd < 0 || !startsWith(b, idEnd + 1, end, OK_CONTENT_TYPE)) {
            return null;
        }
        String id = new String(b, at, idEnd - at, StandardCharsets.ISO_8859_1);
        at = idEnd + 1 + OK_CONTENT_TYPE.length;
        String contentType = null;
        if (startsWith(b, at, end, NULL)) {
            at += NULL.length;
        } else if (at < end && b[at] == '"') {
            int typeEnd = plainStringEnd(b, at + 1, end);
            if (typeEnd < 0) {
                return null;
            }
            contentType = new String(b, at + 1, typeEnd - at - 1, StandardCharsets.ISO_8859_1);
            at = typeEnd + 1;
        } else {
            return null;
        }
        if (!startsWith(b, at, end, STATUS)) {
            return null;
        }
        at += STATUS.length;
        int statusEnd = digitsEnd(b, at, end, 9); // 9 digits always fit an int
        if (statusEnd < 0 || !startsWith(b, statusEnd, end, NO_HEADERS_DURATION)) {
            return null;
        }
        int status = (int) digits(b, at, statusEnd);
        at = statusEnd + NO_HEADERS_DURATION.length;
        int durationEnd = digitsEnd(b, at, end, 18); // 18 digits always fit a long
        if (durationEnd < 0 || durationEnd != end - 1 || b[durationEnd] != '}') {
            return null;
        }
        return new Result.Ok(id, contentType, status, Map.of(), digits(b, at, durationEnd), body);
    }

    private static boolean startsWith(byte[] b, int at, int end, byte[] prefix) {
        return end - at >= prefix.length
                && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
    }

    /** The index of the closing quote of a string of printable ASCII without escapes, or -1. */
    private static int plainStringEnd(byte[] b, int at, int end) {
        for (int i = at; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c < 0x20 || c == '\\' || c == 0x7F) { // negative: not ASCII
                return -1;
            }
        }
        return -1;
    }

    /** The end of 1..max digits without a leading zero (but "0"), or -1. */
    private static int digitsEnd(byte[] b, int at, int end, int max) {
        int i = at;
        while (i < end && i - at <= max && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        int n = i - at;
        if (n == 0 || n > max || (n > 1 && b[at] == '0')) {
            return -1;
        }
        return i;
    }

    private static long digits(byte[] b, int at, int end) {
        long n = 0;
        for (int i = at; i < end; i++) {
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
