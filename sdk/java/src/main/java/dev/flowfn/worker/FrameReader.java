package dev.flowfn.worker;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads frames from a blocking channel, however the bytes arrive. Reads the channel directly (not
 * through {@code Channels.newInputStream}, whose reads would lock out concurrent writes on a socket
 * channel). One thread.
 */
final class FrameReader {

    private final ReadableByteChannel channel;
    private final ByteBuffer prefix = ByteBuffer.allocate(4);

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
        prefix.clear();
        if (!fill(prefix, true)) {
            return null;
        }
        int rest = FrameCodec.checkLength(Integer.toUnsignedLong(prefix.getInt(0)));
        ByteBuffer body = ByteBuffer.allocate(rest);
        fill(body, false);
        return FrameCodec.decodeRest(body.array());
    }

    /** Fills the buffer; false if the stream ended before its first byte and that is allowed. */
    private boolean fill(ByteBuffer buf, boolean endAllowed) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                if (endAllowed && buf.position() == 0) {
                    return false;
                }
                throw new EOFException(
                        "the stream ended after "
                                + buf.position()
                                + " of "
                                + buf.capacity()
                                + " bytes");
            }
        }
        return true;
    }
}
