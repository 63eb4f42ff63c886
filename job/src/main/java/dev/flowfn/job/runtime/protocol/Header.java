package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the fields of one frame's header, refusing a missing or mistyped one with a {@link
 * ProtocolException} that names the message and the field. Unknown fields are ignored, as protocol
 * v1 asks.
 */
final class Header {

    private final MessageType type;
    private final ObjectNode node;
    private final String prefix;

    private Header(MessageType type, ObjectNode node, String prefix) {
        this.type = type;
        this.node = node;
        this.prefix = prefix;
    }

    static Header of(Frame frame) {
        return new Header(frame.type(), frame.header(), "");
    }

    /** A new, empty header object; fields keep the order they are put in. */
    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** An object of strings, in the map's order. */
    static ObjectNode strings(Map<String, String> values) {
        ObjectNode o = object();
        values.forEach(o::put);
        return o;
    }

    /** An unmodifiable copy that keeps the order (Map.copyOf does not). */
    static Map<String, String> copy(Map<String, String> values) {
        return values == null || values.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    String text(String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(field, "a string", v);
        }
        return v.textValue();
    }

    String textOrNull(String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(field, "a string or null", v);
        }
        return v.textValue();
    }

    long integer(String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad(field, "an integer", v);
        }
        return v.longValue();
    }

    int smallInteger(String field) throws ProtocolException {
        long v = integer(field);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw bad(field, "an integer of 32 bits", node.get(field));
        }
        return (int) v;
    }

    boolean bool(String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw bad(field, "true or false", v);
        }
        return v.booleanValue();
    }

    Double numberOrNull(String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw bad(field, "a number or null", v);
        }
        return v.doubleValue();
    }

    /** An object of strings; missing or null reads as empty. */
    Map<String, String> stringMap(String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw bad(field, "an object of strings", v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw bad(field + "." + e.getKey(), "a string", e.getValue());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(out);
    }

    Header object(String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (!(v instanceof ObjectNode o)) {
            throw bad(field, "an object", v);
        }
        return new Header(type, o, prefix + field + ".");
    }

    private ProtocolException bad(String field, String expected, JsonNode got) {
        return new ProtocolException(
                type.name()
                        + " header: '"
                        + prefix
                        + field
                        + "' must be "
                        + expected
                        + ", got "
                        + (got == null ? "nothing" : got.toString()));
    }
}
