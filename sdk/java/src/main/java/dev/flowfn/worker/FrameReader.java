package dev.flowfn.worker;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads frames from a blocking channel, however the bytes arrive. Reads the channel directly (not
 * through {@code Channels.newInputStream}, whose reads would lock out concurrent writes on a socket
 * channel), in chunks: one read brings every frame the job wrote at once, and the next frames come
 * from the buffer without another system call. One thread.
 */
final class FrameReader {

    private static final int CHUNK = 64 * 1024;

    private final ReadableByteChannel channel;

    /** Bytes read and not yet returned as frames, between position and limit. */
    private ByteBuffer buf = ByteBuffer.allocate(CHUNK).flip();

    FrameReader(ReadableByteChannel channel) {
        this.channel = channel;
    }

    /**
     * The next frame, or null at end-of-file between frames.
     *
     * @throws EOFException when the stream ends inside a frame
     * @throws ProtocolException when the bytes are not a valid frame
     */
    Frame next() throws IOException, ProtocolException {
        if (!fill(4, true)) {
            return null;
        }
        int rest = FrameCodec.checkLength(Integer.toUnsignedLong(buf.getInt(buf.position())));
        fill(4 + rest, false);
        buf.position(buf.position() + 4);
        byte[] bytes = new byte[rest];
        buf.get(bytes);
        if (buf.capacity() > CHUNK && buf.remaining() <= CHUNK) {
            buf = ByteBuffer.allocate(CHUNK).put(buf).flip(); // a big frame does not pin its buffer
        }
        return FrameCodec.decodeRest(bytes);
    }

    /** Whether the next frame is buffered whole: {@link #next} returns it without a read. */
    boolean hasFrame() {
        if (buf.remaining() < 4) {
            return false;
        }
        long rest = Integer.toUnsignedLong(buf.getInt(buf.position()));
        return buf.remaining() - 4 >= rest;
    }

    /**
     * Reads until {@code n} bytes are buffered; false if the stream ended before the first and that
     * is allowed.
     */
    private boolean fill(int n, boolean endAllowed) throws IOException {
        if (buf.remaining() >= n) {
            return true;
        }
        if (buf.capacity() < n) {
            buf = ByteBuffer.allocate(Math.max(n, CHUNK)).put(buf).flip();
        }
        buf.compact(); // now in write mode
        try {
            while (buf.position() < n) {
                if (channel.read(buf) < 0) {
                    if (endAllowed && buf.position() == 0) {
                        return false;
                    }
                    throw new EOFException(
                            "the stream ended after " + buf.position() + " of " + n + " bytes");
                }
            }
        } finally {
            buf.flip();
        }
        return true;
    }
}
