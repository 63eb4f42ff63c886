package dev.flowfn.job.runtime.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes {@code INVOKE_COMPACT} frames (runtime protocol 2, {@code sdk/PROTOCOL.md}): an {@link
 * Invoke} whose header is binary rather than JSON. No field names, no escaping, no decimal numbers:
 * a worker reads the fixed fields with one unpack and cuts the strings by their lengths.
 *
 * <p>The header: version, attempt, memoryMb (4 bytes each), deadline and the event's time (8 bytes
 * each, big-endian), a flags byte, the number of strings (4 bytes), each string's length in bytes
 * (4 bytes each), then the strings in UTF-8: id, function, the event's id, source and type, its
 * subject and datacontenttype when the flags say they are there, then each extension's name and
 * value. One instance per frame; not thread-safe.
 */
final class CompactInvoke {

    static final int SOURCE_IDENTITY = 1;
    static final int HAS_SUBJECT = 2;
    static final int HAS_CONTENT_TYPE = 4;

    /** Every string is ASCII, so a reader may decode them all at once and cut by the lengths. */
    static final int ALL_ASCII = 8;

    /** version, attempt, memoryMb, deadline, time, flags, number of strings. */
    static final int FIXED_BYTES = 4 + 4 + 4 + 8 + 8 + 1 + 4;

    private static final int PREFIX = FrameCodec.PREFIX_BYTES + FrameCodec.MIN_REST_BYTES;

    private byte[] buf;
    private int count;
    private int lengthAt;
    private boolean ascii = true;

    private CompactInvoke(int capacity) {
        buf = new byte[capacity];
    }

    /**
     * The frame, ready to write.
     *
     * @throws IllegalArgumentException when it would be over {@link FrameCodec#MAX_FRAME_BYTES}
     */
    static ByteBuffer encode(Invoke invoke) {
        InvokeEvent e = invoke.event();
        Map<String, String> extensions = e.extensions();
        int strings =
                5
                        + (e.subject() != null ? 1 : 0)
                        + (e.dataContentType() != null ? 1 : 0)
                        + 2 * extensions.size();
        byte[] data = invoke.data();
        int stringsAt = PREFIX + FIXED_BYTES + 4 * strings;
        CompactInvoke w = new CompactInvoke(stringsAt + invoke.headerSizeHint() + data.length);
        int flags = (e.sourceIdentity() ? SOURCE_IDENTITY : 0);
        flags |= e.subject() != null ? HAS_SUBJECT : 0;
        flags |= e.dataContentType() != null ? HAS_CONTENT_TYPE : 0;
        ByteBuffer fixed = ByteBuffer.wrap(w.buf, PREFIX, FIXED_BYTES);
        fixed.putInt(invoke.version()).putInt(invoke.attempt()).putInt(invoke.memoryMb());
        fixed.putLong(invoke.deadline()).putLong(e.time());
        int flagsAt = fixed.position();
        fixed.put((byte) flags).putInt(strings);
        w.lengthAt = PREFIX + FIXED_BYTES;
        w.count = stringsAt;
        w.string(invoke.id());
        w.string(invoke.function());
        w.string(e.id());
        w.string(e.source());
        w.string(e.type());
        if (e.subject() != null) {
            w.string(e.subject());
        }
        if (e.dataContentType() != null) {
            w.string(e.dataContentType());
        }
        for (Map.Entry<String, String> x : extensions.entrySet()) {
            w.string(x.getKey());
            w.string(x.getValue());
        }
        if (w.ascii) {
            w.buf[flagsAt] |= ALL_ASCII;
        }
        int header = w.count - PREFIX;
        long rest = (long) FrameCodec.MIN_REST_BYTES + header + data.length;
        if (rest > FrameCodec.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException(
                    "INVOKE_COMPACT frame of "
                            + rest
                            + " bytes is over the 64 MiB limit of the runtime protocol (header "
                            + header
                            + ", body "
                            + data.length
                            + " bytes)");
        }
        w.ensure(data.length);
        System.arraycopy(data, 0, w.buf, w.count, data.length);
        w.count += data.length;
        return ByteBuffer.wrap(w.buf, 0, w.count)
                .putInt(0, (int) rest)
                .put(4, (byte) MessageType.INVOKE_COMPACT.code())
                .putInt(5, header);
    }

    /** Copies an ASCII string char by char; any other goes through the UTF-8 encoder. */
    private void string(String s) {
        if (s == null) {
            throw new NullPointerException("a string of an INVOKE is null");
        }
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = count;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                utf8(s);
                return;
            }
            b[at + i] = (byte) c;
        }
        length(n);
    }

    private void utf8(String s) {
        ascii = false;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, count, bytes.length);
        length(bytes.length);
    }

    private void length(int bytes) {
        byte[] b = buf;
        b[lengthAt] = (byte) (bytes >>> 24);
        b[lengthAt + 1] = (byte) (bytes >>> 16);
        b[lengthAt + 2] = (byte) (bytes >>> 8);
        b[lengthAt + 3] = (byte) bytes;
        lengthAt += 4;
        count += bytes;
    }

    private void ensure(int more) {
        if (count + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
        }
    }
}
