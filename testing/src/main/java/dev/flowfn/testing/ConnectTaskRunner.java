package dev.flowfn.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Drives a {@link SourceTask} the way a Connect worker does, against a real Kafka: polls it,
 * produces its records and waits for the acknowledgements, and keeps the source offsets of
 * acknowledged records until {@link #flushOffsets} writes them to the {@link OffsetStore} (the
 * worker's periodic offset flush). {@link #crash} stops the task without that flush, as a killed
 * worker would; the next runner on the same store starts from the last flushed offsets.
 */
public final class ConnectTaskRunner implements AutoCloseable {

    /** The worker's offset store (the standalone worker's offsets file). */
    public static final class OffsetStore {
        public final Map<Map<String, Object>, Map<String, Object>> committed =
                new ConcurrentHashMap<>();
    }

    private final SourceTask task;
    private final OffsetStore store;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Map<String, Object>, Map<String, Object>> acked = new HashMap<>();
    private long sent;

    /** Initializes and starts {@code task} with {@code props}, offsets from {@code store}. */
    public ConnectTaskRunner(
            KafkaTestCluster kafka, SourceTask task, Map<String, String> props, OffsetStore store) {
        this.store = store;
        this.producer = kafka.producer();
        this.task = task;
        task.initialize(
                new SourceTaskContext() {
                    @Override
                    public Map<String, String> configs() {
                        return props;
                    }

                    @Override
                    public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                        return null;
                    }

                    @Override
                    public OffsetStorageReader offsetStorageReader() {
                        return new OffsetStorageReader() {
                            @Override
                            public <T> Map<String, Object> offset(Map<String, T> partition) {
                                return store.committed.get(new HashMap<String, Object>(partition));
                            }

                            @Override
                            public <T> Map<Map<String, T>, Map<String, Object>> offsets(
                                    Collection<Map<String, T>> partitions) {
                                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                                for (Map<String, T> p : partitions) {
                                    out.put(p, offset(p));
                                }
                                return out;
                            }
                        };
                    }
                });
        task.start(props);
    }

    /** Polls until the task has nothing more to send at this clock reading. */
    public void pollUntilIdle() throws Exception {
        while (true) {
            List<SourceRecord> records = task.poll();
            if (records == null || records.isEmpty()) {
                return;
            }
            for (SourceRecord r : records) {
                producer.send(
                                new ProducerRecord<>(
                                        r.topic(),
                                        null,
                                        r.timestamp(),
                                        (byte[]) r.key(),
                                        (byte[]) r.value()))
                        .get();
                task.commitRecord(r, null);
                sent++;
                @SuppressWarnings("unchecked")
                Map<String, Object> partition = (Map<String, Object>) r.sourcePartition();
                @SuppressWarnings("unchecked")
                Map<String, Object> offset = (Map<String, Object>) r.sourceOffset();
                acked.put(new HashMap<>(partition), offset);
            }
        }
    }

    /** Polls for a while of real time with the clock standing still (lets the registry land). */
    public void idleFor(Duration realTime) throws Exception {
        Instant until = Instant.now().plus(realTime);
        while (Instant.now().isBefore(until)) {
            pollUntilIdle();
        }
    }

    /** The worker's offset flush: offsets of acknowledged records become durable. */
    public void flushOffsets() throws Exception {
        task.commit();
        store.committed.putAll(acked);
        acked.clear();
    }

    public long sent() {
        return sent;
    }

    /** Killed: the offsets since the last flush are lost. */
    public void crash() {
        task.stop();
        producer.close(Duration.ZERO);
    }

    @Override
    public void close() throws Exception {
        flushOffsets();
        task.stop();
        producer.close();
    }
}
