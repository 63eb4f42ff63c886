package dev.flowfn.worker;

import java.util.Collection;
import java.util.Map;

/**
 * Writes plain Java values as compact JSON, the way the other workers do ({@code
 * json.dumps(separators=(",", ":"), ensure_ascii=False)} in Python): no whitespace, keys in the
 * map's order, non-ASCII characters as they are (UTF-8 on the wire), and only {@code "}, {@code \},
 * control characters and lone surrogates escaped.
 *
 * <p>It writes a {@code Map} with string keys, a {@code Collection}, a {@code CharSequence}, a
 * {@code Boolean}, {@code null}, and numbers: {@code Long}, {@code Integer}, {@code Short}, {@code
 * Byte} as integers, a finite {@code Double} or {@code Float} as {@link Double#toString} writes it.
 * Stateless: any thread.
 */
final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {}

    /**
     * @throws IllegalArgumentException for a value JSON cannot hold (NaN, an unknown type, a
     *     non-string key)
     */
    static String write(Object value) {
        StringBuilder out = new StringBuilder(128);
        write(value, out);
        return out.toString();
    }

    static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence s) {
            string(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no number " + d);
            }
            out.append(d);
        } else if (value instanceof Map<?, ?> map) {
            object(map, out);
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(
                        "a JSON object's keys are strings, not " + e.getKey());
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string(key, out);
            out.append(':');
            write(e.getValue(), out);
        }
        out.append('}');
    }

    private static void string(CharSequence s, StringBuilder out) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c, out);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < n
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i)); // a pair: UTF-8 encodes it
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(c, out); // alone, UTF-8 cannot encode it: keep it escaped
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }
}
