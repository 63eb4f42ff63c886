package dev.flowfn.kafka;

import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.SchemaCatalog;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.LongFunction;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@code flowfn.schemas} topic: every schema the platform writes, keyed by fingerprint, so that
 * any consumer can decode any Flowfn record without a registry server.
 */
public final class SchemaTopic {

    private final KafkaClientConfig kafka;

    public SchemaTopic(KafkaClientConfig kafka) {
        this.kafka = kafka;
    }

    /** Publishes every schema of this build and waits for the broker to acknowledge them. */
    public void publishAll() {
        publish(FlowfnSchemas.all());
    }

    /**
     * Publishes these schemas (e.g. a function's own) and waits for the broker to acknowledge them;
     * publishing a schema again is harmless (same key, same value, compacted topic).
     */
    public void publish(Collection<Schema> schemas) {
        if (schemas.isEmpty()) {
            return;
        }
        Map<String, Object> p = kafka.producerProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all"));
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Schema schema : schemas) {
                String key = SchemaCatalog.fingerprintKey(SchemaCatalog.fingerprint(schema));
                producer.send(new ProducerRecord<>(Topics.SCHEMAS, key, schema.toString())).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing schemas", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not publish schemas to "
                            + Topics.SCHEMAS
                            + " at "
                            + kafka.bootstrapServers()
                            + ": "
                            + e.getCause(),
                    e);
        }
    }

    /** Reads the whole topic once: fingerprint to schema. */
    public Map<Long, Schema> readAll() {
        Map<String, Object> p =
                kafka.consumerProperties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        Map<Long, Schema> schemas = new HashMap<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.SCHEMAS, Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        schemas.put(
                                Long.parseUnsignedLong(r.key(), 16),
                                new Schema.Parser().parse(r.value()));
                    }
                }
            }
        }
        return schemas;
    }

    /** A catalog fallback that rereads the topic when it meets an unknown fingerprint. */
    public LongFunction<Schema> asFallback() {
        return fingerprint -> readAll().get(fingerprint);
    }
}
