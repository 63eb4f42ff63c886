package dev.flowfn.deploy.control;

import dev.flowfn.kafka.KafkaClientConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a slice of a topic for a request (read_committed): from a time or a cursor to the current
 * end. A cursor ({@code partition:offset,...}) lets a follower continue where it stopped; {@link
 * #at} reads one record by its position. Opens its own consumer per call; for the control server's
 * request threads.
 */
final class TopicReader {

    private final KafkaClientConfig kafka;

    TopicReader(KafkaClientConfig kafka) {
        this.kafka = kafka;
    }

    /** What a read returned, and where the next one continues. */
    record Slice(List<ConsumerRecord<byte[], byte[]>> records, String cursor) {}

    /**
     * Reads from {@code cursor}, or from {@code since} when there is none, up to the end (at most
     * {@code max}).
     */
    Slice read(String topic, String cursor, Instant since, int max) {
        Map<String, Object> p =
                kafka.consumerProperties(
                        Map.of(
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> start = start(consumer, partitions, cursor, since);
            start.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (out.size() < max
                    && System.nanoTime() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            StringBuilder next = new StringBuilder();
            for (TopicPartition tp : partitions) {
                next.append(next.length() == 0 ? "" : ",")
                        .append(tp.partition())
                        .append(':')
                        .append(consumer.position(tp));
            }
            return new Slice(out, next.toString());
        }
    }

    /** The record at {@code partition:offset} of {@code topic}, or empty when there is none. */
    Optional<ConsumerRecord<byte[], byte[]>> at(String topic, int partition, long offset) {
        Map<String, Object> p =
                kafka.consumerProperties(
                        Map.of(
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1"));
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, partition);
            boolean exists =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .anyMatch(i -> i.partition() == partition);
            if (!exists || offset < 0) {
                return Optional.empty();
            }
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            if (offset >= end) {
                return Optional.empty();
            }
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.offset() == offset) {
                        return Optional.of(r);
                    }
                    if (r.offset() > offset) {
                        return Optional.empty(); // compacted away, or a transaction marker
                    }
                }
            }
            return Optional.empty();
        }
    }

    private static Map<TopicPartition, Long> start(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            String cursor,
            Instant since) {
        Map<TopicPartition, Long> start = new HashMap<>();
        if (cursor != null && !cursor.isBlank()) {
            for (String part : cursor.split(",")) {
                String[] po = part.split(":");
                try {
                    start.put(
                            new TopicPartition(partitions.get(0).topic(), Integer.parseInt(po[0])),
                            Long.parseLong(po[1]));
                } catch (RuntimeException e) {
                    throw ApiException.badRequest(
                            "cursor '" + cursor + "' is not one this server gave out");
                }
            }
            return start;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            start.put(tp, at == null ? end.get(tp) : at.offset());
        }
        return start;
    }
}
