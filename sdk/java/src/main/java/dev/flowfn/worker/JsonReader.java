package dev.flowfn.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses JSON text (RFC 8259) into plain Java values: an object is a {@code LinkedHashMap<String,
 * Object>} (key order kept; a repeated key's last value wins, as in JavaScript and Python), an
 * array a {@code List<Object>}, a string a {@code String}, a number without fraction or exponent a
 * {@code Long} (a {@code Double} when it does not fit), any other number a {@code Double}, and
 * {@code true}, {@code false}, {@code null} a {@code Boolean} or {@code null}.
 *
 * <p>Strict: no comments, no trailing commas, no raw control characters in strings, nothing after
 * the value but whitespace. Small on purpose (the worker's headers are small and it must start
 * fast), and stateless: any thread.
 */
final class JsonReader {

    /** Deeper nesting than this is refused rather than risking the thread's stack. */
    static final int MAX_DEPTH = 256;

    /** The keys of the protocol's headers to the worker: INVOKE's in its order, then the rest. */
    private static final String[] KNOWN_KEYS = {
        "id",
        "function",
        "version",
        "attempt",
        "deadline",
        "memoryMb",
        "event",
        "source",
        "type",
        "subject",
        "time",
        "datacontenttype",
        "sourceIdentity",
        "extensions",
        "nonce",
        "handler",
        "codeDir",
        "env"
    };

    private static final int LONGEST_KNOWN_KEY =
            Arrays.stream(KNOWN_KEYS).mapToInt(String::length).max().orElse(0);

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * @throws JsonException naming what was expected and where
     */
    static Object parse(String text) throws JsonException {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("nothing after the value");
        }
        return value;
    }

    private Object value(int depth) throws JsonException {
        if (pos >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("a value");
        }
    }

    private Map<String, Object> object(int depth) throws JsonException {
        checkDepth(depth);
        pos++; // {
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("a string key");
            }
            String key = key();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        checkDepth(depth);
        pos++; // [
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("',' or ']'");
            }
        }
    }

    /**
     * An object's key: one of {@link #KNOWN_KEYS} without a new string when it is one (the fields
     * of the protocol's headers, whose hash codes are then already known), else as {@link #string}.
     */
    private String key() throws JsonException {
        int start = pos + 1;
        int end = text.indexOf('"', start);
        if (end > start && end - start <= LONGEST_KNOWN_KEY) {
            for (String known : KNOWN_KEYS) {
                if (known.length() == end - start && text.startsWith(known, start)) {
                    pos = end + 1;
                    return known;
                }
            }
        }
        return string();
    }

    private String string() throws JsonException {
        pos++; // opening quote
        StringBuilder b = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("the end of the string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s =
                        b == null
                                ? text.substring(start, pos)
                                : b.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("no raw control character (U+00" + hex2(c) + ") in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(text, start, pos);
            pos++;
            b.append(escape());
            start = pos;
        }
    }

    private char escape() throws JsonException {
        if (pos >= text.length()) {
            throw error("an escape");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"':
            case '\\':
            case '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (pos + 4 > text.length()) {
                    throw error("4 hex digits");
                }
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(text.charAt(pos), 16);
                    if (digit < 0) {
                        throw error("4 hex digits");
                    }
                    code = code * 16 + digit;
                    pos++;
                }
                return (char) code; // a surrogate pair is two escapes, joined as two chars
            default:
                pos--;
                throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
        }
    }

    private Object number() throws JsonException {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("a digit");
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("a digit after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("a digit in the exponent");
            }
            digits();
        }
        String n = text.substring(start, pos);
        if (integral && pos - start <= 18) {
            return Long.parseLong(n); // 18 digits always fit
        }
        if (integral) {
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException tooLarge) {
                return Double.parseDouble(n);
            }
        }
        return Double.parseDouble(n);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private Object literal(String word, Object value) throws JsonException {
        if (!text.startsWith(word, pos)) {
            throw error("a value");
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " levels of nesting");
        }
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    /** The character at the position, or 0 at the end (never valid where it is checked). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String hex2(char c) {
        return (c < 0x10 ? "0" : "") + Integer.toHexString(c).toUpperCase(Locale.ROOT);
    }

    private JsonException error(String expected) {
        String found = pos >= text.length() ? "the end of the text" : "'" + text.charAt(pos) + "'";
        return new JsonException(
                "expected " + expected + " at character " + pos + ", found " + found);
    }
}
