package dev.flowfn.worker;

import java.nio.charset.StandardCharsets;
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

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    private JsonWriter() {}

    /**
     * @throws IllegalArgumentException for a value JSON cannot hold (NaN, an unknown type, a
     *     non-string key)
     */
    static String write(Object value) {
        Utf8Bytes out = new Utf8Bytes(0, 128);
        write(value, out);
        return new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
    }

    /**
     * Appends {@code value}'s JSON as UTF-8: the bytes of {@link #write(Object)}'s text, written
     * without the text (a frame's header on the worker's hot path).
     *
     * @throws IllegalArgumentException as {@link #write(Object)}
     */
    static void write(Object value, Utf8Bytes out) {
        if (value == null) {
            out.put(NULL);
        } else if (value instanceof CharSequence s) {
            string(s, out);
        } else if (value instanceof Boolean b) {
            out.put(b ? TRUE : FALSE);
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            out.putLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no number " + d);
            }
            out.putAscii(Double.toString(d));
        } else if (value instanceof Map<?, ?> map) {
            object(map, out);
        } else if (value instanceof Collection<?> list) {
            out.put('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.put(',');
                }
                first = false;
                write(item, out);
            }
            out.put(']');
        } else {
            throw new IllegalArgumentException(
                    "cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void object(Map<?, ?> map, Utf8Bytes out) {
        out.put('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(
                        "a JSON object's keys are strings, not " + e.getKey());
            }
            if (!first) {
                out.put(',');
            }
            first = false;
            string(key, out);
            out.put(':');
            write(e.getValue(), out);
        }
        out.put('}');
    }

    private static void string(CharSequence s, Utf8Bytes out) {
        out.put('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                out.put(c); // the common case: printable ASCII as is
                continue;
            }
            switch (c) {
                case '"' -> out.put('\\').put('"');
                case '\\' -> out.put('\\').put('\\');
                case '\n' -> out.put('\\').put('n');
                case '\r' -> out.put('\\').put('r');
                case '\t' -> out.put('\\').put('t');
                case '\b' -> out.put('\\').put('b');
                case '\f' -> out.put('\\').put('f');
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c, out);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < n
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.putCodePoint(Character.toCodePoint(c, s.charAt(++i))); // a pair
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(c, out); // alone, UTF-8 cannot encode it: keep it escaped
                    } else {
                        out.putCodePoint(c);
                    }
                }
            }
        }
        out.put('"');
    }

    private static void unicodeEscape(char c, Utf8Bytes out) {
        out.put('\\')
                .put('u')
                .put(HEX[(c >> 12) & 0xF])
                .put(HEX[(c >> 8) & 0xF])
                .put(HEX[(c >> 4) & 0xF])
                .put(HEX[c & 0xF]);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
