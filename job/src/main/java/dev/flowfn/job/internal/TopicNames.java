package dev.flowfn.job.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;

/**
 * Reads a topic name written by {@code writeUTF} and gives the same {@link String} each time the
 * same name comes: a job reads few topics, so most records skip decoding their topic, and the maps
 * the topic is looked up in find its hash already computed.
 *
 * <p>The names are kept in a small table shared by every thread: a slot holds one immutable entry,
 * so a thread that races another sees either entry, whole. Two names in one slot take turns in it:
 * slower, never wrong.
 */
final class TopicNames {

    private static final int SLOTS = 64; // a power of two: a slot is a mask

    private record Entry(byte[] bytes, String name) {}

    private static final Entry[] TABLE = new Entry[SLOTS];

    /** The name {@code writeUTF} wrote at {@code in}'s position. */
    static String read(DataInputView in) throws IOException {
        int length = in.readUnsignedShort();
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        int slot = slot(bytes);
        Entry known = TABLE[slot];
        if (known != null && Arrays.equals(known.bytes, bytes)) {
            return known.name;
        }
        String name = decode(bytes);
        TABLE[slot] = new Entry(bytes, name);
        return name;
    }

    /** By the length and the last bytes, where names of one family differ (orders-1, orders-2). */
    private static int slot(byte[] bytes) {
        int h = bytes.length;
        for (int i = Math.max(0, bytes.length - 4); i < bytes.length; i++) {
            h = 31 * h + bytes[i];
        }
        return (h ^ (h >>> 7)) & (SLOTS - 1);
    }

    /** Modified UTF-8, as {@code writeUTF} writes it; plain ASCII (every Kafka topic) fast. */
    private static String decode(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            if (b < 0) { // a character past ASCII: Java's own decoder of modified UTF-8
                byte[] framed = new byte[bytes.length + 2];
                framed[0] = (byte) (bytes.length >>> 8);
                framed[1] = (byte) bytes.length;
                System.arraycopy(bytes, 0, framed, 2, bytes.length);
                return DataInputStream.readUTF(
                        new DataInputStream(new ByteArrayInputStream(framed)));
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private TopicNames() {}
}
