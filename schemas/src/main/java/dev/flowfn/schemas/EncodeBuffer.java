package dev.flowfn.schemas;

import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * One thread's place to encode records: a growable byte array without {@link
 * java.io.ByteArrayOutputStream}'s lock per write, and Avro's buffered encoder over it, both reused
 * from record to record. Not thread-safe: {@link AvroCodec} keeps one per thread.
 */
final class EncodeBuffer extends OutputStream {

    /** Bigger than this after a record, the buffer is not kept for the next one. */
    static final int MAX_KEPT = 1 << 20;

    private byte[] bytes = new byte[512];
    private int size;
    final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(this, null);

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
