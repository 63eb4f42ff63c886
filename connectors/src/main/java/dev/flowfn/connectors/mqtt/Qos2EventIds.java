package dev.flowfn.connectors.mqtt;

import dev.flowfn.schemas.contract.EventIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * The stable event ids of the inbound QoS 2 messages the MQTT client holds, one small file per
 * packet id ({@code <dir>/<packetId>}, written before the client sends PUBREC). A message that
 * comes again after a crash (its PUBCOMP never went out) finds the id it was first written to Kafka
 * with, so the job drops the repeat (the connector marks these events with {@code sourceIdentity}).
 *
 * <p>An id is {@code mqtt-qos2:<clientId>:<epoch>:<seq>} ({@link EventIds#mqttQos2}): epoch a
 * random UUID per opening, seq counting up, so ids never repeat across restarts without storing a
 * counter.
 *
 * <p>Threads: {@link #assign} runs on the client's receiver thread, {@link #forget} on whichever
 * thread completes a message, {@link #get} on the callback thread; all thread-safe.
 */
final class Qos2EventIds {

    private final Path dir;
    private final String clientId;
    private final String epoch = UUID.randomUUID().toString();
    private final AtomicLong seq = new AtomicLong();
    private final Map<Integer, String> ids = new ConcurrentHashMap<>();

    private Qos2EventIds(Path dir, String clientId) {
        this.dir = dir;
        this.clientId = clientId;
    }

    /**
     * The ids stored in {@code dir}, keeping only those of packet ids the client still holds
     * ({@code held}); the others are left from a crash between the client's removal and ours.
     */
    static Qos2EventIds open(Path dir, String clientId, IntPredicate held) {
        Qos2EventIds ids = new Qos2EventIds(dir, clientId);
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    int packetId = packetId(file);
                    if (packetId > 0 && held.test(packetId)) {
                        ids.ids.put(packetId, Files.readString(file, StandardCharsets.UTF_8));
                    } else {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the QoS 2 event ids in " + dir, e);
        }
        return ids;
    }

    /**
     * A new message holds {@code packetId}: give it a new id, in a file. Written, not fsynced: it
     * survives the process (a crash, a kill -9), like Paho's own files, whose creation and deletion
     * Paho does not sync either; an fsync here would double the disk flushes per QoS 2 message.
     */
    void assign(int packetId) throws IOException {
        String id = EventIds.mqttQos2(clientId, epoch, seq.incrementAndGet());
        Path file = dir.resolve(Integer.toString(packetId));
        try (FileChannel out =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8)));
        }
        ids.put(packetId, id);
    }

    /** The id of the message holding {@code packetId}, or null if none was stored. */
    String get(int packetId) {
        return ids.get(packetId);
    }

    /** The message holding {@code packetId} is complete: its packet id may be reused. */
    void forget(int packetId) throws IOException {
        ids.remove(packetId);
        Files.deleteIfExists(dir.resolve(Integer.toString(packetId)));
    }

    void clear() throws IOException {
        for (Integer packetId : ids.keySet()) {
            forget(packetId);
        }
    }

    int size() {
        return ids.size();
    }

    private static int packetId(Path file) {
        try {
            return Integer.parseInt(file.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
