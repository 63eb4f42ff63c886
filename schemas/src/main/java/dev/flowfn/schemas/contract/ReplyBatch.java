package dev.flowfn.schemas.contract;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of one push of results to a gateway's reply address ({@code flowfnreplyto}, CONTRACTS.md
 * "Extensions"): the results of several synchronous requests in one POST, so the job sends one
 * request per round trip rather than one per result. Each entry is the invocation id and the
 * encoded {@code InvocationResult}, both length-prefixed (4-byte big-endian lengths): {@code
 * [idLength][id UTF-8][resultLength][result]}, repeated.
 *
 * <p>Entries delimit themselves, so a body can also be a stream: the job keeps one POST open per
 * gateway address and writes each batch into it as it comes ({@link #decode(InputStream, Receiver,
 * int)} hands each entry on as soon as it has arrived).
 */
public final class ReplyBatch {

    /** The content type of a batch body. */
    public static final String CONTENT_TYPE = "application/vnd.flowfn.invocation-results";

    /** One pushed result. */
    public record Entry(String invocationId, byte[] encodedResult) {}

    /** What a gateway does with each entry of a batch it received. */
    @FunctionalInterface
    public interface Receiver {
        void accept(byte[] invocationId, byte[] encodedResult);
    }

    /** The body of a push of {@code entries}. */
    public static byte[] encode(List<Entry> entries) {
        int size = 0;
        for (Entry e : entries) {
            size += 8 + e.invocationId.length() * 3 + e.encodedResult.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        ByteBuffer length = ByteBuffer.allocate(4);
        for (Entry e : entries) {
            byte[] id = e.invocationId.getBytes(StandardCharsets.UTF_8);
            out.write(length.putInt(0, id.length).array(), 0, 4);
            out.write(id, 0, id.length);
            out.write(length.putInt(0, e.encodedResult.length).array(), 0, 4);
            out.write(e.encodedResult, 0, e.encodedResult.length);
        }
        return out.toByteArray();
    }

    /**
     * Hands each entry of {@code body} to {@code receiver} as soon as it has arrived, in order,
     * until the body ends (a stream, or a whole body of known length); returns their count. Throws
     * {@link IllegalArgumentException} at the first entry that ends early or has a field longer
     * than {@code maxFieldBytes} (nothing of it is handed on; the entries before it were).
     */
    public static int decode(InputStream body, Receiver receiver, int maxFieldBytes)
            throws IOException {
        DataInputStream in = new DataInputStream(body);
        int count = 0;
        while (true) {
            int first = in.read();
            if (first < 0) {
                return count; // the stream ended between two entries
            }
            byte[] id = field(in, first, "invocation id", count, maxFieldBytes);
            byte[] result = field(in, in.read(), "result", count, maxFieldBytes);
            receiver.accept(id, result);
            count++;
        }
    }

    private static byte[] field(
            DataInputStream in, int firstByte, String what, int entry, int maxBytes)
            throws IOException {
        try {
            if (firstByte < 0) {
                throw new EOFException();
            }
            int length = firstByte << 24 | in.readUnsignedByte() << 16 | in.readUnsignedShort();
            if (length < 0 || length > maxBytes) {
                throw new IllegalArgumentException(
                        "reply batch entry "
                                + entry
                                + ": "
                                + what
                                + " of "
                                + length
                                + " bytes, over the limit of "
                                + maxBytes);
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "reply batch entry " + entry + ": the stream ended inside the " + what);
        }
    }

    private ReplyBatch() {}
}
