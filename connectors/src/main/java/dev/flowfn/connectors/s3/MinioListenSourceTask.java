package dev.flowfn.connectors.s3;

import dev.flowfn.schemas.contract.EventTypes;
import dev.flowfn.schemas.s3.InvalidNotificationException;
import dev.flowfn.schemas.s3.S3Notifications;
import dev.flowfn.schemas.s3.S3ObjectEvent;
import io.minio.MinioClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the lines of a {@link MinioListenStream} into records via {@link S3Notifications}, and
 * lists the bucket at start, on every (re)connection and every {@code s3.listen.relist.ms}. Created
 * events and listed objects are remembered in one {@link ListingCheckpoint} by (key, eTag,
 * modification time; MinIO's sequencer is the modification time in hex nanoseconds), so an upload
 * seen by both is emitted once. Every record carries the checkpoint as it is after it.
 *
 * <p>Threading (Connect's contract): {@link #start} and {@link #poll} run on the task thread; the
 * stream reads on its own thread and only queues lines; {@link #stop} comes from another thread,
 * may race with {@code poll()}, and only closes the stream and client (a {@code poll()} in progress
 * then returns what it has or fails, which no longer matters).
 */
public final class MinioListenSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(MinioListenSourceTask.class);

    private S3SourceConfig config;
    private MinioClient client;
    private MinioListenStream stream;
    private Map<String, String> partition;
    private ListingCheckpoint checkpoint;
    private int listedAtGeneration = -1;
    private long nextListingAt;
    private boolean firstStart;
    private final List<S3ObjectEvent> backlog = new ArrayList<>();

    /**
     * Objects of the first start's baseline listing: not emitted, only taken as seen. A live event
     * for one of them is still emitted (it was uploaded after listening began).
     */
    private final Set<String> baseline = new HashSet<>();

    @Override
    public String version() {
        return S3PollSourceTask.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new S3SourceConfig(S3SourceConfig.LISTEN, props);
        partition =
                Map.of(
                        "source",
                        "minio-listen",
                        "bucket",
                        config.bucket(),
                        "prefix",
                        config.prefix(),
                        "suffix",
                        config.suffix());
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        firstStart = offset == null;
        checkpoint = ListingCheckpoint.fromOffset(offset, config.lookbackMs());
        client = S3Objects.client(config);
        stream = new MinioListenStream(config);
        stream.start();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        RuntimeException refused = stream.failure();
        if (refused != null) {
            throw new ConnectException(refused.getMessage());
        }
        List<SourceRecord> records = new ArrayList<>();
        int generation = stream.generation();
        long now = System.currentTimeMillis();
        if (backlog.isEmpty() && (generation != listedAtGeneration || now >= nextListingAt)) {
            // at start, on every (re)connection and every s3.listen.relist.ms: a listing covers
            // whatever the listen stream did not deliver
            listing();
            listedAtGeneration = generation;
            nextListingAt = now + config.getLong(S3SourceConfig.LISTEN_RELIST_MS);
        }
        drainBacklog(records);
        if (!records.isEmpty()) {
            return records;
        }
        for (String line : stream.take(500)) {
            for (S3ObjectEvent change : parse(line)) {
                if (isCreated(change)) {
                    Long modified = modifiedMillis(change);
                    if (modified != null) {
                        String fp =
                                ListingCheckpoint.fingerprint(
                                        change.key(), change.eTag(), modified);
                        if (!baseline.remove(fp)
                                && !checkpoint.isNew(change.key(), change.eTag(), modified)) {
                            continue; // already emitted from a listing
                        }
                        checkpoint.record(change.key(), change.eTag(), modified);
                    }
                }
                records.add(S3Objects.record(config, partition, checkpoint.toOffset(), change));
            }
        }
        return records.isEmpty() ? null : records;
    }

    private void listing() {
        List<S3ObjectEvent> found = S3Objects.newObjects(client, config, checkpoint);
        if (firstStart && !config.emitExisting()) {
            firstStart = false;
            for (S3ObjectEvent o : found) {
                long modified = o.time().toEpochMilli();
                checkpoint.record(o.key(), o.eTag(), modified);
                baseline.add(ListingCheckpoint.fingerprint(o.key(), o.eTag(), modified));
            }
            checkpoint.markStarted();
            LOG.info(
                    "s3://{}: first start, {} existing objects taken as seen",
                    config.bucket(),
                    found.size());
            return;
        }
        firstStart = false;
        checkpoint.markStarted();
        if (!found.isEmpty()) {
            LOG.info(
                    "s3://{}: {} objects not reported by the listen stream; emitting them",
                    config.bucket(),
                    found.size());
        }
        backlog.addAll(found);
    }

    private void drainBacklog(List<SourceRecord> records) {
        int n = Math.min(backlog.size(), config.maxRecords());
        for (S3ObjectEvent o : backlog.subList(0, n)) {
            checkpoint.record(o.key(), o.eTag(), o.time().toEpochMilli());
            records.add(S3Objects.record(config, partition, checkpoint.toOffset(), o));
        }
        backlog.subList(0, n).clear();
    }

    private List<S3ObjectEvent> parse(String line) {
        if (line.equals("{\"Records\":null}")) {
            return List.of(); // MinIO's keep-alive
        }
        try {
            return S3Notifications.parse(line.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidNotificationException e) {
            // not from MinIO as we know it; skipping beats stopping every other event
            LOG.warn("s3://{}: skipped a notification: {}", config.bucket(), e.getMessage());
            return List.of();
        }
    }

    private static boolean isCreated(S3ObjectEvent e) {
        return e.eventName().startsWith(EventTypes.S3_OBJECT_CREATED_PREFIX);
    }

    /** MinIO's sequencer is the object's modification time in hex epoch nanoseconds. */
    static Long modifiedMillis(S3ObjectEvent e) {
        if (e.sequencer() == null) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(e.sequencer(), 16) / 1_000_000L;
        } catch (NumberFormatException notMinio) {
            return null;
        }
    }

    @Override
    public void stop() {
        if (stream != null) {
            stream.close();
        }
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                LOG.debug("closing the S3 client", e);
            }
        }
    }
}
