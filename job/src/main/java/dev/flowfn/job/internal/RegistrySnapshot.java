package dev.flowfn.job.internal;

import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the whole registry topic once, synchronously. On a fresh start the matcher has an empty
 * broadcast state and Flink gives no order between the event and registry inputs: events of a
 * backlog could be matched against no functions at all and silently skipped. The matcher primes its
 * index from this snapshot instead; the broadcast stream then replays the same records and
 * converges on the same registry.
 */
final class RegistrySnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrySnapshot.class);
    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);

    /** The registry as the topic now holds it; empty (logged) if Kafka cannot be read in time. */
    static Map<String, FunctionSpec> read(KafkaClientConfig kafka, Duration timeout) {
        Map<String, FunctionSpec> live = new HashMap<>();
        Map<String, Object> c =
                kafka.consumerProperties(
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.CLIENT_ID_CONFIG, "flowfn-registry-snapshot"));
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.FUNCTIONS, timeout).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    LOG.warn(
                            "registry snapshot incomplete after {}; matching starts from it",
                            timeout);
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    apply(live, r);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not read {} at start: {}; waiting for the broadcast",
                    Topics.FUNCTIONS,
                    e.toString());
        }
        return live;
    }

    private static void apply(Map<String, FunctionSpec> live, ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String name = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            live.remove(name);
            return;
        }
        try {
            live.put(name, SPECS.decode(r.value()));
        } catch (UndecodableRecordException e) {
            LOG.warn("ignoring registry record for {}: {}", name, e.getMessage());
        }
    }

    private RegistrySnapshot() {}
}
