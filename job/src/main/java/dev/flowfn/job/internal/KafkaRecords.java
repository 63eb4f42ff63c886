package dev.flowfn.job.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The job's (de)serializers between Kafka records and its own stream types. */
public final class KafkaRecords {

    /** Trigger topics: keep the record whole; decoding happens in the matcher. */
    public static final class SourceRecords
            implements KafkaRecordDeserializationSchema<SourceRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<SourceRecord> out) {
            out.collect(
                    new SourceRecord(
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            r.timestamp(),
                            r.key(),
                            r.value()));
        }

        @Override
        public TypeInformation<SourceRecord> getProducedType() {
            return TypeInformation.of(SourceRecord.class);
        }
    }

    /** The registry topic: name from the key, spec bytes from the value (null = deleted). */
    public static final class RegistryUpdates
            implements KafkaRecordDeserializationSchema<RegistryUpdate> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RegistryUpdate> out) {
            if (r.key() != null) {
                out.collect(
                        new RegistryUpdate(new String(r.key(), StandardCharsets.UTF_8), r.value()));
            }
        }

        @Override
        public TypeInformation<RegistryUpdate> getProducedType() {
            return TypeInformation.of(RegistryUpdate.class);
        }
    }

    /**
     * Every output goes to the topic it names. Which topics those are is known only at run time
     * (functions emit to any topic), so the sink's target is every topic: the pooling transaction
     * naming looks for a restored subtask's open transactions on all of them.
     */
    public static final class OutputSerializer
            implements KafkaRecordSerializationSchema<OutputRecord>, KafkaDatasetFacetProvider {
        private static final Pattern ANY_TOPIC = Pattern.compile(".*");

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                OutputRecord r, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(r.topic, null, timestamp, r.key, r.value);
        }

        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return Optional.of(
                    new DefaultKafkaDatasetFacet(
                            DefaultKafkaDatasetIdentifier.ofPattern(ANY_TOPIC)));
        }
    }

    private KafkaRecords() {}
}
