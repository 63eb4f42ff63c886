package dev.flowfn.job.runtime.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * The binary framing of the runtime protocol v2 ({@code sdk/PROTOCOL.md}, "Frames"): a 4-byte
 * big-endian length of the rest, the type byte, a 4-byte header length, the header (compact JSON,
 * UTF-8, non-ASCII kept as is, keys in the order they were put) and the body.
 *
 * <p>Encoding is static and thread-safe; decoding a stream is incremental, with one {@link
 * FrameDecoder} per connection ({@link #decoder()}).
 */
public final class FrameCodec {

    /** The most a frame may hold after its length prefix: 64 MiB. */
    public static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    /** Length prefix, type byte and header length. */
    static final int PREFIX_BYTES = 4;

    static final int MIN_REST_BYTES = 1 + 4;

    static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FrameCodec() {}

    /** A decoder for one stream of frames (one connection). */
    public static FrameDecoder decoder() {
        return new FrameDecoder();
    }

    /** One frame's bytes. */
    public static byte[] encode(Frame frame) {
        return encodeToBuffer(frame).array();
    }

    /** One message's bytes. */
    public static byte[] encode(Message message) {
        return encode(message.toFrame());
    }

    /**
     * One frame in a heap buffer ready to be written (position 0, limit its length).
     *
     * @throws IllegalArgumentException when the frame is over {@link #MAX_FRAME_BYTES}
     */
    public static ByteBuffer encodeToBuffer(Frame frame) {
        byte[] header = headerBytes(frame.header());
        long rest = (long) MIN_REST_BYTES + header.length + frame.body().length;
        if (rest > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException(
                    frame.type().name()
                            + " frame of "
                            + rest
                            + " bytes is over the 64 MiB limit of the runtime protocol"
                            + " (header "
                            + header.length
                            + ", body "
                            + frame.body().length
                            + " bytes)");
        }
        ByteBuffer out = ByteBuffer.allocate(PREFIX_BYTES + (int) rest);
        out.putInt((int) rest).put((byte) frame.type().code()).putInt(header.length);
        out.put(header).put(frame.body());
        return out.flip();
    }

    /**
     * An {@code INVOKE} frame, its header written from the record instead of built as a JSON tree:
     * the job's hot path. By hand when its strings are plain ({@link PlainJson}), else streamed
     * with Jackson; either way the same bytes as {@code encodeToBuffer(invoke.toFrame())}.
     *
     * @throws IllegalArgumentException when the frame is over {@link #MAX_FRAME_BYTES}
     */
    public static ByteBuffer encodeInvoke(Invoke invoke) {
        int prefix = PREFIX_BYTES + 1 + 4; // filled in below
        PlainJson plain =
                new PlainJson(prefix, prefix + invoke.headerSizeHint() + invoke.data().length);
        invoke.writeHeader(plain);
        if (plain.plain()) {
            int header = plain.size() - prefix;
            checkInvokeSize(header, invoke);
            plain.write(invoke.data());
            return withPrefix(plain.buffer(), header);
        }
        FrameBytes out = new FrameBytes(256 + invoke.data().length);
        out.write(new byte[prefix], 0, prefix);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            invoke.writeHeader(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        int header = out.size() - prefix;
        checkInvokeSize(header, invoke);
        out.write(invoke.data(), 0, invoke.data().length);
        return withPrefix(out.buffer(), header);
    }

    /**
     * An {@code INVOKE_COMPACT} frame: the same invocation as {@link #encodeInvoke}, its header
     * binary, for a worker whose HELLO says protocol 2.
     *
     * @throws IllegalArgumentException when the frame is over {@link #MAX_FRAME_BYTES}
     */
    public static ByteBuffer encodeInvokeCompact(Invoke invoke) {
        return CompactInvoke.encode(invoke);
    }

    private static void checkInvokeSize(int header, Invoke invoke) {
        long rest = (long) MIN_REST_BYTES + header + invoke.data().length;
        if (rest > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException(
                    "INVOKE frame of "
                            + rest
                            + " bytes is over the 64 MiB limit of the runtime protocol (header "
                            + header
                            + ", body "
                            + invoke.data().length
                            + " bytes)");
        }
    }

    private static ByteBuffer withPrefix(ByteBuffer frame, int header) {
        int rest = frame.remaining() - PREFIX_BYTES;
        return frame.putInt(0, rest).put(4, (byte) MessageType.INVOKE.code()).putInt(5, header);
    }

    /** A byte stream whose buffer is handed out without a copy. */
    private static final class FrameBytes extends ByteArrayOutputStream {
        FrameBytes(int size) {
            super(size);
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /** Several messages in one buffer, for one write (a batch of INVOKEs). */
    public static ByteBuffer encodeAll(Collection<? extends Message> messages) {
        ByteBuffer[] parts = new ByteBuffer[messages.size()];
        int i = 0;
        int total = 0;
        for (Message m : messages) {
            parts[i] = encodeToBuffer(m.toFrame());
            total += parts[i++].remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (ByteBuffer part : parts) {
            out.put(part);
        }
        return out.flip();
    }

    /**
     * Exactly one frame from its bytes.
     *
     * @throws ProtocolException when the bytes are not exactly one valid frame
     */
    public static Frame decode(byte[] bytes) throws ProtocolException {
        FrameDecoder decoder = decoder();
        var frames = decoder.push(ByteBuffer.wrap(bytes));
        if (frames.size() != 1 || decoder.buffered() != 0) {
            throw new ProtocolException(
                    "expected exactly one frame in "
                            + bytes.length
                            + " bytes, found "
                            + frames.size()
                            + " and "
                            + decoder.buffered()
                            + " bytes left over");
        }
        return frames.get(0);
    }

    static byte[] headerBytes(ObjectNode header) {
        try {
            return JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            // a tree of JSON nodes always serializes
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode parseHeader(MessageType type, byte[] bytes, int offset, int length)
            throws ProtocolException {
        JsonNode node;
        try {
            node = JSON.readTree(bytes, offset, length);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(
                    type.name() + " header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProtocolException(type.name() + " header: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new ProtocolException(
                    type.name()
                            + " header must be a JSON object, got "
                            + (node == null ? "nothing" : node.getNodeType()));
        }
        return object;
    }
}
