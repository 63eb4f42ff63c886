package dev.flowfn.connectors.s3;

import dev.flowfn.schemas.s3.S3ObjectEvent;
import io.minio.MinioClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the bucket, emits the object versions its {@link ListingCheckpoint} does not know (oldest
 * first, at most {@code s3.max.records} per {@link #poll()}), each record carrying the checkpoint
 * as it is after that record, then waits for the next interval.
 *
 * <p>Threading (Connect's contract): {@link #start}, {@link #poll} and {@link #commitRecord} run on
 * the task thread; {@link #stop} is called from another thread and may race with a {@code poll()}
 * in progress: it flips a flag, wakes the wait and closes the client (a listing in progress then
 * fails, which no longer matters).
 */
public final class S3PollSourceTask extends SourceTask {

    static final String VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(S3PollSourceTask.class);

    private S3SourceConfig config;
    private MinioClient client;
    private Map<String, String> partition;
    private ListingCheckpoint checkpoint;
    private final Deque<S3ObjectEvent> pending = new ArrayDeque<>();
    private long nextListingAt;
    private final Object wake = new Object();
    private volatile boolean stopping;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new S3SourceConfig(S3SourceConfig.POLL, props);
        partition = partition(config);
        checkpoint =
                ListingCheckpoint.fromOffset(
                        context.offsetStorageReader().offset(partition), config.lookbackMs());
        client = S3Objects.client(config);
        LOG.info(
                "polling s3://{}/{} (suffix '{}') at {} every {} ms; {}",
                config.bucket(),
                config.prefix(),
                config.suffix(),
                config.endpoint(),
                config.getLong(S3SourceConfig.POLL_INTERVAL_MS),
                checkpoint.started()
                        ? "resuming after modification time " + checkpoint.watermark()
                        : "first start");
    }

    static Map<String, String> partition(S3SourceConfig config) {
        return Map.of("source", "s3-poll", "bucket", config.bucket(), "prefix", config.prefix());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (pending.isEmpty()) {
            long wait = nextListingAt - System.currentTimeMillis();
            if (wait > 0) {
                synchronized (wake) {
                    if (!stopping) {
                        wake.wait(Math.min(wait, 1000));
                    }
                }
                return null;
            }
            if (stopping) {
                return null;
            }
            nextListingAt =
                    System.currentTimeMillis() + config.getLong(S3SourceConfig.POLL_INTERVAL_MS);
            List<S3ObjectEvent> found = S3Objects.newObjects(client, config, checkpoint);
            if (!checkpoint.started() && !config.emitExisting()) {
                // first start: what is there already is the baseline, not news
                found.forEach(o -> checkpoint.record(o.key(), o.eTag(), o.time().toEpochMilli()));
                checkpoint.markStarted();
                LOG.info("first listing: {} existing objects taken as seen", found.size());
                return null;
            }
            checkpoint.markStarted();
            pending.addAll(found);
        }
        List<SourceRecord> records = new ArrayList<>(Math.min(pending.size(), config.maxRecords()));
        while (!pending.isEmpty() && records.size() < config.maxRecords()) {
            S3ObjectEvent o = pending.poll();
            checkpoint.record(o.key(), o.eTag(), o.time().toEpochMilli());
            records.add(S3Objects.record(config, partition, checkpoint.toOffset(), o));
        }
        return records;
    }

    @Override
    public void stop() {
        stopping = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (client != null) {
            closeClient(); // a listing in progress fails; the task is stopping anyway
        }
    }

    private void closeClient() {
        try {
            client.close();
        } catch (Exception e) {
            LOG.debug("closing the S3 client", e);
        }
    }
}
