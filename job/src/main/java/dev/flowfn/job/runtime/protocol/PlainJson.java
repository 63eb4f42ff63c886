package dev.flowfn.job.runtime.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes compact JSON straight into a growing byte array, for headers whose strings are all plain:
 * ASCII from space to tilde, without {@code "} or {@code \}. Those need no escaping, so the bytes
 * are the ones Jackson writes for the same values. A string that is not plain is not written:
 * {@link #plain} turns false and the caller starts over with Jackson.
 *
 * <p>The job's hot path ({@link FrameCodec#encodeInvoke}): a Jackson generator costs more to open
 * and close than a small header takes to write. One instance per header; not thread-safe.
 */
final class PlainJson {

    private byte[] buf;
    private int count;
    private boolean plain = true;
    private boolean first = true;

    /**
     * @param skip bytes left free at the start (a frame's prefix, filled in later)
     * @param capacity the size to start with
     */
    PlainJson(int skip, int capacity) {
        buf = new byte[Math.max(capacity, skip + 64)];
        count = skip;
    }

    /** Bytes written, the skipped ones included. */
    int size() {
        return count;
    }

    /** Appends raw bytes (a frame's body). */
    void write(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, count, bytes.length);
        count += bytes.length;
    }

    /** The bytes written, from the first skipped one, without a copy. */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(buf, 0, count);
    }

    /** Whether every string so far was plain, so the bytes written are valid. */
    boolean plain() {
        return plain;
    }

    PlainJson startObject() {
        put('{');
        first = true;
        return this;
    }

    PlainJson endObject() {
        put('}');
        first = false;
        return this;
    }

    /** Starts a field whose value is an object; end it with {@link #endObject}. */
    PlainJson objectField(Name name) {
        return fieldName(name).startObject();
    }

    /** Starts a field; its value is written next. */
    PlainJson fieldName(Name name) {
        name(name);
        return this;
    }

    PlainJson field(Name name, String value) {
        name(name);
        if (!name.repeats || value == null) {
            value(value);
            return this;
        }
        Name.Last last = name.last;
        if (last != null && last.value == value) {
            write(last.quoted);
            return this;
        }
        int start = count;
        string(value);
        if (plain) {
            name.last = new Name.Last(value, Arrays.copyOfRange(buf, start, count));
        }
        return this;
    }

    /** A field whose name is not known in advance (an extension's). */
    PlainJson field(String name, String value) {
        separate();
        string(name);
        put(':');
        value(value);
        return this;
    }

    PlainJson field(Name name, long value) {
        name(name);
        number(value);
        return this;
    }

    PlainJson field(Name name, boolean value) {
        name(name);
        ascii(value ? "true" : "false");
        return this;
    }

    /** The comma before every field of an object but its first. */
    private void separate() {
        if (!first) {
            put(',');
        }
        first = false;
    }

    private void value(String value) {
        if (value == null) {
            ascii("null");
        } else {
            string(value);
        }
    }

    private void name(Name name) {
        separate();
        byte[] bytes = name.quoted;
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, count, bytes.length);
        count += bytes.length;
    }

    /** Checks and copies in one pass; a string that is not plain leaves {@link #size} as it was. */
    private void string(String s) {
        int n = s.length();
        ensure(n + 2);
        byte[] b = buf;
        int at = count;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            // outside ' '..'~' in one unsigned compare
            if ((char) (c - ' ') > '~' - ' ' || c == '"' || c == '\\') {
                plain = false;
                return;
            }
            b[at++] = (byte) c;
        }
        b[at++] = '"';
        count = at;
    }

    /**
     * The decimal digits of a number, as Long.toString writes them, without a String: the length
     * from comparisons, then two digits per division (an INVOKE has two 13-digit times, whose
     * digit-by-digit writing took a tenth of the reading thread's samples).
     */
    private void number(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                ascii(Long.toString(value)); // its negation does not fit a long
                return;
            }
            put('-');
            value = -value;
        }
        if (value < 10) {
            put((char) ('0' + value));
            return;
        }
        int digits = digits(value);
        ensure(digits);
        int at = count + digits;
        byte[] b = buf;
        while (value >= 100) {
            int pair = (int) (value % 100);
            value /= 100;
            b[--at] = PAIRS[2 * pair + 1];
            b[--at] = PAIRS[2 * pair];
        }
        if (value >= 10) {
            b[--at] = PAIRS[2 * (int) value + 1];
            b[--at] = PAIRS[2 * (int) value];
        } else {
            b[--at] = (byte) ('0' + value);
        }
        count += digits;
    }

    /** "00" to "99", two bytes each. */
    private static final byte[] PAIRS = new byte[200];

    /** 10^2 .. 10^18: a positive long has i + 2 digits when it is below {@code TENS[i]}. */
    private static final long[] TENS = new long[17];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
        long ten = 10;
        for (int i = 0; i < TENS.length; i++) {
            ten *= 10;
            TENS[i] = ten;
        }
    }

    /** The number of decimal digits of a positive long of 10 or more. */
    static int digits(long value) {
        for (int i = 0; i < TENS.length; i++) {
            if (value < TENS[i]) {
                return i + 2;
            }
        }
        return 19;
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): ASCII, no encoder
    private void ascii(String s) {
        ensure(s.length());
        s.getBytes(0, s.length(), buf, count);
        count += s.length();
    }

    private void put(char c) {
        ensure(1);
        buf[count++] = (byte) c;
    }

    private void ensure(int more) {
        if (count + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
        }
    }

    /**
     * A field name known in advance, checked and encoded once, with its quotes and colon: most of a
     * header's strings are its field names.
     */
    static final class Name {
        private final byte[] quoted;

        /** Whether its values repeat from one header to the next, so {@link #last} pays. */
        private final boolean repeats;

        /**
         * The value written last, quoted, by the instance: a value that repeats (a function's name,
         * an event's source and type) is then copied rather than checked char by char. Any thread
         * may replace it: it is immutable, so a thread sees a whole one or none.
         */
        private Last last;

        private record Last(String value, byte[] quoted) {}

        private Name(byte[] quoted, boolean repeats) {
            this.quoted = quoted;
            this.repeats = repeats;
        }

        static Name of(String name) {
            return new Name(quoted(name), false);
        }

        /**
         * A field whose values mostly repeat the one before (the same string instance): written
         * from the bytes kept for it.
         */
        static Name repeating(String name) {
            return new Name(quoted(name), true);
        }

        private static byte[] quoted(String name) {
            PlainJson j = new PlainJson(0, name.length() + 3);
            j.string(name);
            j.put(':');
            if (!j.plain) {
                throw new IllegalArgumentException("not a plain field name: " + name);
            }
            return Arrays.copyOf(j.buf, j.count);
        }
    }
}
