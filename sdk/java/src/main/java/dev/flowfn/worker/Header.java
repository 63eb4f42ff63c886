package dev.flowfn.worker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed reads of a received frame's header. A field of the wrong type, or a required one missing,
 * is a protocol error naming the frame and the field; unknown fields are ignored (later minor
 * versions add some).
 */
final class Header {

    private final String what;
    private final Map<String, Object> fields;

    private Header(String what, Map<String, Object> fields) {
        this.what = what;
        this.fields = fields;
    }

    static Header of(Frame frame) {
        return new Header(frame.type().toString(), frame.header());
    }

    /** A nested object, read like a header; {@code what} names it in messages. */
    Header object(String name) throws ProtocolException {
        Object v = fields.get(name);
        if (!(v instanceof Map)) {
            throw wrong(name, "an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) v;
        return new Header(what + " " + name, map);
    }

    String text(String name) throws ProtocolException {
        Object v = fields.get(name);
        if (!(v instanceof String s)) {
            throw wrong(name, "a string");
        }
        return s;
    }

    /** A string, or null when the field is missing or null. */
    String textOrNull(String name) throws ProtocolException {
        Object v = fields.get(name);
        if (v != null && !(v instanceof String)) {
            throw wrong(name, "a string or null");
        }
        return (String) v;
    }

    long integer(String name) throws ProtocolException {
        Object v = fields.get(name);
        if (!(v instanceof Long n)) {
            throw wrong(name, "an integer");
        }
        return n;
    }

    /** An integer, or {@code fallback} when the field is missing or null. */
    long integerOr(String name, long fallback) throws ProtocolException {
        return fields.get(name) == null ? fallback : integer(name);
    }

    boolean flag(String name) {
        return Boolean.TRUE.equals(fields.get(name));
    }

    /** The field as it came (any JSON value, or null). */
    Object raw(String name) {
        return fields.get(name);
    }

    /** An object of strings, unmodifiable; empty when the field is missing or null. */
    Map<String, String> strings(String name) throws ProtocolException {
        Object v = fields.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw wrong(name, "an object of strings");
        }
        if (map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw wrong(name + "." + e.getKey(), "a string");
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private ProtocolException wrong(String name, String expected) {
        Object v = fields.get(name);
        return new ProtocolException(
                what
                        + " header: '"
                        + name
                        + "' must be "
                        + expected
                        + ", not "
                        + (v == null ? "missing or null" : JsonWriter.write(v)));
    }
}
