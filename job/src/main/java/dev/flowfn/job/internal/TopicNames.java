package dev.flowfn.job.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;

/**
 * Reads a topic name written by {@code writeUTF} and gives the same {@link String} each time the
 * same name comes: records skip decoding their topic, and the maps the topic is looked up in find
 * its hash already computed.
 *
 * <p>The names are kept in an open-addressing table shared by every thread. Readers take the table
 * as it is (a volatile array of immutable entries) and never lock; a name not in it is added under
 * a lock into a copy, which then replaces the table. Every name read stays known (a job reads each
 * of its topics on and on) up to {@link #MAX_KEPT} names; past that, a new name is decoded each
 * time it comes.
 */
final class TopicNames {

    /** Names kept at most: far more topics than one job reads, little memory. */
    static final int MAX_KEPT = 4_096;

    /** The table every serializer reads through. */
    static final TopicNames SHARED = new TopicNames(MAX_KEPT);

    private record Entry(byte[] bytes, int hash, String name) {}

    private final int maxKept;

    /** A power of two, at most half full, so a probe always ends at an empty slot. */
    private volatile Entry[] table = new Entry[64];

    private int kept; // guarded by this

    /** Set when a name comes after the last one kept: names not kept then skip the lock. */
    private volatile boolean full;

    TopicNames(int maxKept) {
        this.maxKept = maxKept;
    }

    /** The name {@code writeUTF} wrote at {@code in}'s position. */
    String read(DataInputView in) throws IOException {
        int length = in.readUnsignedShort();
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        int hash = Arrays.hashCode(bytes);
        Entry known = find(table, bytes, hash);
        if (known != null) {
            return known.name;
        }
        return full ? decode(bytes) : added(bytes, hash);
    }

    /** How many names are kept. */
    synchronized int kept() {
        return kept;
    }

    private static Entry find(Entry[] table, byte[] bytes, int hash) {
        int mask = table.length - 1;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            Entry e = table[i];
            if (e == null) {
                return null;
            }
            if (e.hash == hash && Arrays.equals(e.bytes, bytes)) {
                return e;
            }
        }
    }

    private synchronized String added(byte[] bytes, int hash) throws IOException {
        Entry[] current = table;
        Entry raced = find(current, bytes, hash); // another thread may have added it meanwhile
        if (raced != null) {
            return raced.name;
        }
        String name = decode(bytes);
        if (kept >= maxKept) {
            full = true;
            return name;
        }
        int capacity = current.length;
        while ((kept + 1) * 2 > capacity) {
            capacity *= 2;
        }
        Entry[] next = new Entry[capacity];
        for (Entry e : current) {
            if (e != null) {
                put(next, e);
            }
        }
        put(next, new Entry(bytes, hash, name));
        kept++;
        table = next;
        return name;
    }

    private static void put(Entry[] table, Entry entry) {
        int mask = table.length - 1;
        int i = spread(entry.hash) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = entry;
    }

    /** Folds a hash's high bits into the low ones, which are all a slot keeps of it. */
    private static int spread(int hash) {
        return hash ^ (hash >>> 16) ^ (hash >>> 7);
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
}
