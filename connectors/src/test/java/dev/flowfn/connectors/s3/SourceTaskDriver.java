package dev.flowfn.connectors.s3;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.testing.KafkaTestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Does for a {@link SourceTask} what a Connect worker does: start it with the committed offsets,
 * poll, write each record to Kafka and wait for the acknowledgement, then commit the offsets of
 * what was acknowledged. {@link #commit} = false leaves the last batch uncommitted, as a crash
 * between Kafka's ack and the worker's offset flush would.
 */
final class SourceTaskDriver implements AutoCloseable {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    private final KafkaTestCluster kafka;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Map<String, ?>, Map<String, ?>> committed = new HashMap<>();
    private final List<Event> sent = new ArrayList<>();
    private final Supplier<SourceTask> tasks;
    private final Map<String, String> props;
    private SourceTask task;

    SourceTaskDriver(
            KafkaTestCluster kafka, Supplier<SourceTask> tasks, Map<String, String> props) {
        this.kafka = kafka;
        this.producer = kafka.producer();
        this.tasks = tasks;
        this.props = props;
    }

    void start() {
        task = tasks.get();
        task.initialize(
                new SourceTaskContext() {
                    @Override
                    public Map<String, String> configs() {
                        return props;
                    }

                    @Override
                    public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                        return null; // the tasks use none
                    }

                    @Override
                    public OffsetStorageReader offsetStorageReader() {
                        return new OffsetStorageReader() {
                            @Override
                            @SuppressWarnings("unchecked")
                            public <T> Map<String, Object> offset(Map<String, T> partition) {
                                return (Map<String, Object>) committed.get(partition);
                            }

                            @Override
                            public <T> Map<Map<String, T>, Map<String, Object>> offsets(
                                    Collection<Map<String, T>> partitions) {
                                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                                partitions.forEach(p -> out.put(p, offset(p)));
                                return out;
                            }
                        };
                    }
                });
        task.start(props);
    }

    /** One poll; its records written to Kafka (acknowledged), offsets committed if asked. */
    List<Event> pollOnce(boolean commit) throws Exception {
        List<SourceRecord> records = task.poll();
        if (records == null) {
            return List.of();
        }
        List<Event> events = new ArrayList<>();
        Map<Map<String, ?>, Map<String, ?>> latest = new HashMap<>();
        for (SourceRecord r : records) {
            producer.send(new ProducerRecord<>(r.topic(), (byte[]) r.key(), (byte[]) r.value()))
                    .get();
            Event e = EVENTS.decode((byte[]) r.value());
            events.add(e);
            latest.put(r.sourcePartition(), r.sourceOffset());
        }
        if (commit) {
            committed.putAll(latest);
        }
        sent.addAll(events);
        return events;
    }

    /** Polls (committing) until {@code count} events came in all, or the timeout passes. */
    List<Event> pollUntil(int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        List<Event> got = new ArrayList<>();
        while (got.size() < count && Instant.now().isBefore(deadline)) {
            got.addAll(pollOnce(true));
        }
        return got;
    }

    /** Polls (committing) for a while, returning whatever came. */
    List<Event> pollFor(Duration time) throws Exception {
        return pollUntil(Integer.MAX_VALUE, time);
    }

    /** A graceful stop: what was acknowledged is committed (as pollOnce(true) did). */
    void stop() {
        task.stop();
        task = null;
    }

    List<Event> sent() {
        return sent;
    }

    KafkaTestCluster kafka() {
        return kafka;
    }

    @Override
    public void close() {
        if (task != null) {
            task.stop();
        }
        producer.close();
    }
}
