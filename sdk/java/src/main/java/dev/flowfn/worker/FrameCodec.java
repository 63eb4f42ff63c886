package dev.flowfn.worker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The binary framing of the runtime protocol v2: {@code u32 length of the rest | u8 type | u32
 * header length | header (compact JSON, UTF-8) | body}, lengths big-endian, at most 64 MiB after
 * the length prefix. Stateless: any thread.
 */
final class FrameCodec {

    /** The most the length prefix may count: 64 MiB. */
    static final int MAX_FRAME = 64 * 1024 * 1024;

    /** Type byte and header length, which every frame has after its length prefix. */
    static final int MIN_REST = 1 + 4;

    /** The length prefix, the type byte and the header length. */
    private static final int PREFIX = 4 + MIN_REST;

    /** Room for a header at first: a RESULT's or an INVOKE's fits. */
    private static final int HEADER_GUESS = 384;

    private FrameCodec() {}

    /**
     * One frame's bytes, length prefix included.
     *
     * @throws FrameTooLargeException when it would be over {@link #MAX_FRAME}
     * @throws IllegalArgumentException for a header JSON cannot hold
     */
    static ByteBuffer encode(MessageType type, Map<String, ?> header, byte[] body) {
        int bodyLength = body == null ? 0 : body.length;
        // the header is written after room for the prefix, and the array is the frame
        Utf8Bytes out =
                new Utf8Bytes(PREFIX, HEADER_GUESS + (bodyLength <= MAX_FRAME ? bodyLength : 0));
        JsonWriter.write(header, out);
        int h = out.size() - PREFIX;
        long rest = (long) MIN_REST + h + bodyLength;
        if (rest > MAX_FRAME) {
            throw new FrameTooLargeException(type, rest);
        }
        if (bodyLength > 0) {
            out.put(body);
        }
        ByteBuffer buf = ByteBuffer.wrap(out.array(), 0, out.size());
        buf.putInt(0, (int) rest).put(4, (byte) type.code()).putInt(5, h);
        return buf;
    }

    static ByteBuffer encode(Frame frame) {
        return encode(frame.type(), frame.header(), frame.body());
    }

    /**
     * Checks a length prefix.
     *
     * @throws ProtocolException when no frame can have it
     */
    static int checkLength(long rest) throws ProtocolException {
        if (rest > MAX_FRAME) {
            throw new ProtocolException(
                    "frame length " + rest + " is over the protocol's limit of 64 MiB");
        }
        if (rest < MIN_REST) {
            throw new ProtocolException(
                    "frame length " + rest + " is too short for a type and a header length");
        }
        return (int) rest;
    }

    /**
     * Decodes a frame's bytes after its length prefix.
     *
     * @throws ProtocolException for an unknown type, a header length past the end, or a header that
     *     is not a UTF-8 JSON object
     */
    @SuppressWarnings("unchecked")
    static Frame decodeRest(byte[] rest) throws ProtocolException {
        if (rest.length < MIN_REST) {
            throw new ProtocolException(
                    "a frame of "
                            + rest.length
                            + " bytes has no room for a type and a header length");
        }
        MessageType type = MessageType.of(rest[0] & 0xFF);
        ByteBuffer buf = ByteBuffer.wrap(rest);
        long headerLength = Integer.toUnsignedLong(buf.getInt(1));
        if (MIN_REST + headerLength > rest.length) {
            throw new ProtocolException(
                    "header length "
                            + headerLength
                            + " of a "
                            + type
                            + " frame runs past the frame's end");
        }
        int h = (int) headerLength;
        Object header;
        try {
            header =
                    type == MessageType.INVOKE_COMPACT
                            ? compactInvokeHeader(rest, h)
                            : JsonReader.parse(utf8(rest, MIN_REST, h));
        } catch (CharacterCodingException e) {
            throw new ProtocolException("header of a " + type + " frame is not UTF-8: " + e);
        } catch (JsonException e) {
            throw new ProtocolException(
                    "header of a " + type + " frame is not JSON: " + e.getMessage());
        }
        if (!(header instanceof Map)) {
            throw new ProtocolException("header of a " + type + " frame is not a JSON object");
        }
        byte[] body = Frame.NO_BODY;
        if (rest.length > MIN_REST + h) {
            body = new byte[rest.length - MIN_REST - h];
            System.arraycopy(rest, MIN_REST + h, body, 0, body.length);
        }
        return new Frame(type, (Map<String, Object>) header, body);
    }

    /** INVOKE_COMPACT's fixed fields: version, attempt, memoryMb, deadline, time, flags, count. */
    static final int COMPACT_FIXED = 4 + 4 + 4 + 8 + 8 + 1 + 4;

    /**
     * The binary header of an INVOKE_COMPACT (protocol 2, sdk/PROTOCOL.md), as the map its JSON
     * form (INVOKE) parses to, so both take the same way from there.
     *
     * @throws ProtocolException when its strings do not add up to the header's length
     */
    static Map<String, Object> compactInvokeHeader(byte[] rest, int length)
            throws ProtocolException {
        if (length < COMPACT_FIXED) {
            throw new ProtocolException(
                    "INVOKE_COMPACT header of " + length + " bytes is under " + COMPACT_FIXED);
        }
        ByteBuffer b = ByteBuffer.wrap(rest, MIN_REST, length).slice();
        long version = Integer.toUnsignedLong(b.getInt());
        long attempt = Integer.toUnsignedLong(b.getInt());
        long memoryMb = Integer.toUnsignedLong(b.getInt());
        long deadline = b.getLong();
        long time = b.getLong();
        int flags = b.get() & 0xFF;
        long count = Integer.toUnsignedLong(b.getInt());
        int wanted = 5 + ((flags >> 1) & 1) + ((flags >> 2) & 1);
        if (count < wanted || (count - wanted) % 2 != 0 || 4 * count > b.remaining()) {
            throw new ProtocolException(
                    "INVOKE_COMPACT header has "
                            + count
                            + " strings; its flags need "
                            + wanted
                            + " and then name-value pairs, in its "
                            + length
                            + " bytes");
        }
        int n = (int) count;
        int[] lengths = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            lengths[i] = b.getInt();
            total += Integer.toUnsignedLong(lengths[i]);
        }
        if (total != b.remaining()) {
            throw new ProtocolException(
                    "INVOKE_COMPACT strings take "
                            + total
                            + " bytes; its header has "
                            + b.remaining()
                            + " for them");
        }
        String[] strings = new String[n];
        int at = MIN_REST + b.position();
        for (int i = 0; i < n; i++) {
            strings[i] = text(rest, at, lengths[i]);
            at += lengths[i];
        }
        int next = 5;
        String subject = (flags & 2) != 0 ? strings[next++] : null;
        String contentType = (flags & 4) != 0 ? strings[next++] : null;
        Map<String, Object> extensions = new LinkedHashMap<>();
        for (; next < n; next += 2) {
            extensions.put(strings[next], strings[next + 1]);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", strings[2]);
        event.put("source", strings[3]);
        event.put("type", strings[4]);
        event.put("subject", subject);
        event.put("time", time);
        event.put("datacontenttype", contentType);
        event.put("sourceIdentity", (flags & 1) != 0);
        event.put("extensions", extensions);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("id", strings[0]);
        header.put("function", strings[1]);
        header.put("version", version);
        header.put("attempt", attempt);
        header.put("deadline", deadline);
        header.put("memoryMb", memoryMb);
        header.put("event", event);
        return header;
    }

    /** A string of an INVOKE_COMPACT. */
    private static String text(byte[] bytes, int at, int length) throws ProtocolException {
        try {
            return utf8(bytes, at, length);
        } catch (CharacterCodingException e) {
            throw new ProtocolException("an INVOKE_COMPACT string is not UTF-8: " + e);
        }
    }

    /**
     * {@code length} bytes from {@code at} as strict UTF-8; ASCII (the usual) is copied as it is,
     * without a decoder.
     *
     * @throws CharacterCodingException when they are not UTF-8
     */
    private static String utf8(byte[] bytes, int at, int length) throws CharacterCodingException {
        int end = at + length;
        for (int i = at; i < end; i++) {
            if (bytes[i] < 0) {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, at, length))
                        .toString();
            }
        }
        return new String(bytes, at, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes exactly one whole frame, length prefix included.
     *
     * @throws ProtocolException when the bytes are not one valid frame
     */
    static Frame decode(byte[] frame) throws ProtocolException {
        if (frame.length < 4) {
            throw new ProtocolException(
                    "a frame of " + frame.length + " bytes is shorter than its length prefix");
        }
        long rest = Integer.toUnsignedLong(ByteBuffer.wrap(frame).getInt(0));
        checkLength(rest);
        if (rest != frame.length - 4) {
            throw new ProtocolException(
                    "frame says "
                            + rest
                            + " bytes follow its prefix, but "
                            + (frame.length - 4)
                            + " do");
        }
        byte[] tail = new byte[frame.length - 4];
        System.arraycopy(frame, 4, tail, 0, tail.length);
        return decodeRest(tail);
    }
}
