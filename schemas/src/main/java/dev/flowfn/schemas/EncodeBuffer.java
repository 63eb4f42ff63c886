package dev.flowfn.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.BinaryData;
import org.apache.avro.io.BinaryEncoder;

/**
 * One thread's place to encode records: Avro's binary encoding written straight into a growable
 * byte array, reused from record to record. Avro's own buffered encoder writes into a buffer of its
 * own and copies that into the stream on flush; here each value lands once where it stays, and
 * {@link #toByteArray} makes the one copy a record leaves with. Not thread-safe: {@link AvroCodec}
 * keeps one per thread.
 */
final class EncodeBuffer extends BinaryEncoder {

    /** Bigger than this after a record, the buffer is not kept for the next one. */
    static final int MAX_KEPT = 1 << 20;

    /** The most bytes a long takes in Avro's variable-length zig-zag encoding. */
    private static final int MAX_VARLONG = 10;

    private byte[] bytes = new byte[512];
    private int size;

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
    public void writeBoolean(boolean b) {
        ensure(1);
        bytes[size++] = (byte) (b ? 1 : 0);
    }

    @Override
    public void writeInt(int n) {
        ensure(MAX_VARLONG);
        size += BinaryData.encodeInt(n, bytes, size);
    }

    @Override
    public void writeLong(long n) {
        ensure(MAX_VARLONG);
        size += BinaryData.encodeLong(n, bytes, size);
    }

    @Override
    public void writeFloat(float f) {
        ensure(4);
        size += BinaryData.encodeFloat(f, bytes, size);
    }

    @Override
    public void writeDouble(double d) {
        ensure(8);
        size += BinaryData.encodeDouble(d, bytes, size);
    }

    @Override
    public void writeString(String string) {
        if (string.isEmpty()) {
            writeZero();
            return;
        }
        byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        writeFixed(utf8, 0, utf8.length);
    }

    @Override
    public void writeFixed(byte[] b, int start, int len) {
        ensure(len);
        System.arraycopy(b, start, bytes, size, len);
        size += len;
    }

    @Override
    protected void writeZero() {
        ensure(1);
        bytes[size++] = 0;
    }

    /** Nothing is held back: every value is in the array as soon as it is written. */
    @Override
    public int bytesBuffered() {
        return 0;
    }

    @Override
    public void flush() {}

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
