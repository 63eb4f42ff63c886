package dev.flowfn.job.runtime.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a stream of bytes into frames, whatever the chunks it arrives in: a chunk may hold part of a
 * frame, or several. A frame longer than {@link FrameCodec#MAX_FRAME_BYTES} is refused from its
 * length prefix, before its bytes are buffered.
 *
 * <p>Not thread-safe: one decoder per connection, fed by its reading thread. After a {@link
 * ProtocolException} the stream is out of step; close the connection.
 */
public final class FrameDecoder {

    private static final int KEEP_BYTES = 64 * 1024;

    private byte[] buf = new byte[8192];
    private int start;
    private int end;

    FrameDecoder() {}

    /**
     * Adds the remaining bytes of {@code chunk} (consuming them) and returns the frames they
     * complete, in order; none when the chunk ends inside a frame.
     *
     * @throws ProtocolException for an oversize frame, an unknown type or a bad header
     */
    public List<Frame> push(ByteBuffer chunk) throws ProtocolException {
        List<Frame> frames = new ArrayList<>();
        cut(chunk, this::frame, frames::add);
        return frames;
    }

    /**
     * As {@link #push}, but hands the typed messages ({@link Message#of}) of the frames to {@code
     * sink}, one by one as they are read, so the messages before a bad frame are handled before its
     * exception. A RESULT is read straight from its bytes when its header is plain ({@link
     * ResultReader}), without a JSON tree.
     *
     * @throws ProtocolException also when a header lacks a field its type needs, or has one of the
     *     wrong type; or what {@code sink} throws
     */
    public void pushMessages(ByteBuffer chunk, Sink<Message> sink) throws ProtocolException {
        cut(chunk, this::message, sink);
    }

    /** Takes the values of frames in order. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(T value) throws ProtocolException;
    }

    /** Makes one frame's value from its bytes: {@code rest} bytes at {@code at}, in buf. */
    private interface Reader<T> {
        T read(int at, int rest) throws ProtocolException;
    }

    private <T> void cut(ByteBuffer chunk, Reader<T> reader, Sink<T> sink)
            throws ProtocolException {
        append(chunk);
        while (end - start >= FrameCodec.PREFIX_BYTES) {
            long rest = Integer.toUnsignedLong(readInt(start));
            if (rest > FrameCodec.MAX_FRAME_BYTES) {
                throw new ProtocolException(
                        "frame of "
                                + rest
                                + " bytes is over the 64 MiB limit of the runtime protocol");
            }
            if (rest < FrameCodec.MIN_REST_BYTES) {
                throw new ProtocolException(
                        "frame of "
                                + rest
                                + " bytes is too short: it needs at least a type byte and a"
                                + " header length");
            }
            if (end - start < FrameCodec.PREFIX_BYTES + rest) {
                break;
            }
            T value = reader.read(start + FrameCodec.PREFIX_BYTES, (int) rest);
            start += FrameCodec.PREFIX_BYTES + (int) rest;
            sink.accept(value);
        }
        if (start == end) {
            start = 0;
            end = 0;
            if (buf.length > KEEP_BYTES) {
                buf = new byte[KEEP_BYTES]; // give back the room a big frame took
            }
        }
    }

    /** Bytes of a frame not yet complete. */
    public int buffered() {
        return end - start;
    }

    private Message message(int at, int rest) throws ProtocolException {
        if ((buf[at] & 0xFF) == MessageType.RESULT.code()) {
            int headerLength = headerLength(MessageType.RESULT, at, rest);
            int headerAt = at + FrameCodec.MIN_REST_BYTES;
            Result result =
                    ResultReader.read(
                            buf, headerAt, headerLength, body(at, rest, headerAt + headerLength));
            if (result != null) {
                return result;
            }
        }
        return Message.of(frame(at, rest));
    }

    private Frame frame(int at, int rest) throws ProtocolException {
        MessageType type = MessageType.of(buf[at] & 0xFF);
        int headerLength = headerLength(type, at, rest);
        int headerAt = at + FrameCodec.MIN_REST_BYTES;
        var header = FrameCodec.parseHeader(type, buf, headerAt, headerLength);
        return new Frame(type, header, body(at, rest, headerAt + headerLength));
    }

    private byte[] body(int at, int rest, int bodyAt) {
        return bodyAt == at + rest ? Frame.NO_BODY : Arrays.copyOfRange(buf, bodyAt, at + rest);
    }

    private int headerLength(MessageType type, int at, int rest) throws ProtocolException {
        long headerLength = Integer.toUnsignedLong(readInt(at + 1));
        if (headerLength > rest - FrameCodec.MIN_REST_BYTES) {
            throw new ProtocolException(
                    type.name()
                            + " frame says its header has "
                            + headerLength
                            + " bytes, but the frame has only "
                            + (rest - FrameCodec.MIN_REST_BYTES)
                            + " after the type and header length");
        }
        return (int) headerLength;
    }

    private int readInt(int at) {
        return ((buf[at] & 0xFF) << 24)
                | ((buf[at + 1] & 0xFF) << 16)
                | ((buf[at + 2] & 0xFF) << 8)
                | (buf[at + 3] & 0xFF);
    }

    private void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (buf.length - end < n) {
            int live = end - start;
            if (buf.length - live >= n && start > 0) {
                System.arraycopy(buf, start, buf, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(buf.length * 2, live + n)];
                System.arraycopy(buf, start, bigger, 0, live);
                buf = bigger;
            }
            start = 0;
            end = live;
        }
        chunk.get(buf, end, n);
        end += n;
    }
}
