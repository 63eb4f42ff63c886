package dev.flowfn.schemas.contract;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of one push of results to a gateway's reply address ({@code flowfnreplyto}, CONTRACTS.md
 * "Extensions"): the results of several synchronous requests in one POST, so the job sends one
 * request per round trip rather than one per result. Each entry is the invocation id and the
 * encoded {@code InvocationResult}, both length-prefixed (4-byte big-endian lengths): {@code
 * [idLength][id UTF-8][resultLength][result]}, repeated.
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
     * Hands each entry of {@code body} to {@code receiver}, in order; returns their count. Throws
     * {@link IllegalArgumentException} at the first entry that does not fit the body (nothing of it
     * is handed on; the entries before it were).
     */
    public static int decode(byte[] body, Receiver receiver) {
        ByteBuffer in = ByteBuffer.wrap(body);
        int count = 0;
        while (in.hasRemaining()) {
            byte[] id = field(in, "invocation id", count);
            byte[] result = field(in, "result", count);
            receiver.accept(id, result);
            count++;
        }
        return count;
    }

    private static byte[] field(ByteBuffer in, String what, int entry) {
        if (in.remaining() < 4) {
            throw new IllegalArgumentException(
                    "reply batch entry " + entry + ": truncated before the " + what + "'s length");
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException(
                    "reply batch entry "
                            + entry
                            + ": "
                            + what
                            + " of "
                            + length
                            + " bytes, "
                            + in.remaining()
                            + " left in the body");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private ReplyBatch() {}
}
