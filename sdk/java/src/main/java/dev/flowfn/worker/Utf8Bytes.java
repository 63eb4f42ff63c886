package dev.flowfn.worker;

import java.util.Arrays;

/**
 * A growable byte array that text is written to as UTF-8, with room left at its start for what is
 * known only at the end (a frame's lengths): {@link FrameCodec} writes a header into it and hands
 * the array on without copying. One thread.
 */
final class Utf8Bytes {

    private byte[] bytes;
    private int count;

    /**
     * @param reserved bytes left at the start, written later with {@link #array()}
     * @param expected how many bytes are expected after them (the array grows past it)
     */
    Utf8Bytes(int reserved, int expected) {
        this.bytes = new byte[reserved + Math.max(expected, 16)];
        this.count = reserved;
    }

    /** An ASCII character. */
    Utf8Bytes put(char c) {
        ensure(1);
        bytes[count++] = (byte) c;
        return this;
    }

    Utf8Bytes put(byte b) {
        ensure(1);
        bytes[count++] = b;
        return this;
    }

    Utf8Bytes put(byte[] b) {
        return put(b, 0, b.length);
    }

    Utf8Bytes put(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, bytes, count, length);
        count += length;
        return this;
    }

    /** Text known to be ASCII (a number's digits). */
    void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[count++] = (byte) s.charAt(i);
        }
    }

    /** A code point other than a surrogate, in 1 to 4 bytes. */
    void putCodePoint(int cp) {
        ensure(4);
        if (cp < 0x80) {
            bytes[count++] = (byte) cp;
        } else if (cp < 0x800) {
            bytes[count++] = (byte) (0xC0 | (cp >> 6));
            bytes[count++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            bytes[count++] = (byte) (0xE0 | (cp >> 12));
            bytes[count++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            bytes[count++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            bytes[count++] = (byte) (0xF0 | (cp >> 18));
            bytes[count++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            bytes[count++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            bytes[count++] = (byte) (0x80 | (cp & 0x3F));
        }
    }

    /** A whole number in decimal, as {@link Long#toString(long)} writes it. */
    void putLong(long n) {
        if (n == Long.MIN_VALUE) {
            putAscii(Long.toString(n)); // its magnitude has no long
            return;
        }
        ensure(20);
        if (n < 0) {
            bytes[count++] = '-';
            n = -n;
        }
        int digits = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = count + digits - 1; i >= count; i--) {
            bytes[i] = (byte) ('0' + (n % 10));
            n /= 10;
        }
        count += digits;
    }

    /** How many bytes are written, the reserved ones included. */
    int size() {
        return count;
    }

    /** The bytes written so far are {@code array()[0..size())}; not a copy. */
    byte[] array() {
        return bytes;
    }

    private void ensure(int more) {
        if (count + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(count + more, bytes.length * 2));
        }
    }
}
