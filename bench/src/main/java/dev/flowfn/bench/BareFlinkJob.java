package dev.flowfn.bench;

import static dev.flowfn.kafka.KafkaClientConfig.asProperties;

import dev.flowfn.bench.fns.Spin;
import dev.flowfn.bench.infra.BenchFlink;
import dev.flowfn.bench.infra.Clock;
import dev.flowfn.job.JobOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The baseline: a bare Flink job over the same trigger topic, KafkaSource -> keyBy(key) -> map ->
 * exactly-once KafkaSink, with the Flowfn job's source and sink settings (read_committed, offsets
 * committed on checkpoints, the sink's linger and transaction naming, same checkpoint interval and
 * parallelism). The map is one of {@link Work}.
 */
final class BareFlinkJob {

    /** What the bare job's map does per record. */
    enum Work {
        /** Passes the record on: the baseline of the no-op function. */
        IDENTITY,
        /**
         * Writes {@code "<sent>,<now>"} (epoch µs) so its latency can be read like a Stamp
         * function's.
         */
        STAMP,
        /** Spins {@link Spin#MICROS} µs ({@link Spin#work()}), then passes the record on. */
        SPIN
    }

    /** A Kafka record as the bare job carries it. A Flink POJO. */
    public static final class Rec {
        public String key;
        public byte[] value;

        public Rec() {}

        Rec(String key, byte[] value) {
            this.key = key;
            this.value = value;
        }
    }

    static JobID start(BenchPlatform platform, String input, String output, Work work)
            throws Exception {
        return start(platform, input, output, work, BenchFlink.PARALLELISM);
    }

    /** As {@link #start(BenchPlatform, String, String, Work)} at {@code parallelism}. */
    static JobID start(
            BenchPlatform platform, String input, String output, Work work, int parallelism)
            throws Exception {
        Configuration conf =
                platform.flink.jobConfiguration(
                        c -> c.set(CoreOptions.DEFAULT_PARALLELISM, parallelism));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        KafkaSource<Rec> source =
                KafkaSource.<Rec>builder()
                        .setProperties(asProperties(platform.kafka.client().consumerProperties()))
                        .setTopics(input)
                        .setGroupId(platform.unique("bench-bare"))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new Records())
                        .setProperty("isolation.level", "read_committed")
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .build();
        Properties producer =
                asProperties(
                        platform.kafka
                                .client()
                                .producerProperties(
                                        Map.of(
                                                "linger.ms",
                                                Long.toString(
                                                        JobOptions.SINK_LINGER
                                                                .defaultValue()
                                                                .toMillis()),
                                                "transaction.timeout.ms",
                                                Long.toString(Duration.ofMinutes(2).toMillis()))));
        KafkaSink<Rec> sink =
                KafkaSink.<Rec>builder()
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("bench-bare")
                        .setTransactionNamingStrategy(
                                JobOptions.SINK_TRANSACTION_NAMING.defaultValue())
                        .setKafkaProducerConfig(producer)
                        .setRecordSerializer(new ToTopic(output))
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "trigger topic")
                .keyBy(r -> r.key)
                .map(
                        switch (work) {
                            case IDENTITY -> new Identity();
                            case STAMP -> new StampMap();
                            case SPIN -> new SpinMap();
                        })
                .name(work.name().toLowerCase(java.util.Locale.ROOT))
                .sinkTo(sink)
                .name("exactly-once sink");
        return platform.flink.submit(env, "bare-baseline");
    }

    private static final class Records implements KafkaRecordDeserializationSchema<Rec> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Rec> out) {
            out.collect(
                    new Rec(
                            r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8),
                            r.value()));
        }

        @Override
        public TypeInformation<Rec> getProducedType() {
            return TypeInformation.of(Rec.class);
        }
    }

    private static final class Identity implements MapFunction<Rec, Rec> {
        @Override
        public Rec map(Rec r) {
            return r;
        }
    }

    private static final class SpinMap implements MapFunction<Rec, Rec> {
        @Override
        public Rec map(Rec r) {
            Spin.work();
            return r;
        }
    }

    private static final class StampMap implements MapFunction<Rec, Rec> {
        @Override
        public Rec map(Rec r) {
            long now = Clock.micros();
            String text =
                    new String(r.value, 0, Math.min(24, r.value.length), StandardCharsets.US_ASCII);
            int space = text.indexOf(' ');
            String sent = space < 0 ? text : text.substring(0, space);
            return new Rec(r.key, (sent + "," + now).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final class ToTopic
            implements KafkaRecordSerializationSchema<Rec>, KafkaDatasetFacetProvider {
        private final String topic;

        ToTopic(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                Rec r, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    topic, null, timestamp, r.key.getBytes(StandardCharsets.UTF_8), r.value);
        }

        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return Optional.of(
                    new DefaultKafkaDatasetFacet(
                            DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
        }
    }

    private BareFlinkJob() {}
}
