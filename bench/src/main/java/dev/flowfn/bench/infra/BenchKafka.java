package dev.flowfn.bench.infra;

import dev.flowfn.deploy.local.engines.KafkaBrokerProcess;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's Kafka: one KRaft broker in its own JVM, exactly as {@code flowfn local} starts it
 * ({@link KafkaBrokerProcess}), with the platform's topics. Clients for the scenarios.
 */
public final class BenchKafka implements AutoCloseable {

    /** Partitions of every topic the scenarios create; the platform's own topics have the same. */
    public static final int PARTITIONS = 2;

    /** The broker this harness started, or null for a cluster it only uses. */
    private final KafkaBrokerProcess broker;

    private final String bootstrap;

    private BenchKafka(KafkaBrokerProcess broker, String bootstrap) {
        this.broker = broker;
        this.bootstrap = bootstrap;
    }

    /** A Kafka cluster running already (with Flowfn's topics); {@link #close} leaves it running. */
    public static BenchKafka external(String bootstrap) {
        return new BenchKafka(null, bootstrap);
    }

    public static BenchKafka start(Path dir) throws Exception {
        KafkaBrokerProcess broker =
                KafkaBrokerProcess.start(dir.resolve("kafka"), dir.resolve("kafka.log"));
        BenchKafka kafka = new BenchKafka(broker, broker.bootstrapServers());
        try {
            kafka.createPlatformTopics();
            return kafka;
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** How every bench client reaches this broker. */
    public KafkaClientConfig client() {
        return KafkaClientConfig.of(bootstrap());
    }

    public Admin admin() {
        return Admin.create(client().adminProperties());
    }

    public void createTopics(Collection<String> names) throws Exception {
        createTopics(names, PARTITIONS);
    }

    /** Topics of {@code partitions} partitions each, one replica. */
    public void createTopics(Collection<String> names, int partitions) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    private void createPlatformTopics() throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.ALL) {
            boolean compacted = Topics.COMPACTED.contains(name);
            NewTopic topic = new NewTopic(name, compacted ? 1 : PARTITIONS, (short) 1);
            if (compacted) {
                topic.configs(Map.of("cleanup.policy", "compact"));
            }
            topics.add(topic);
        }
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** A producer; {@code overrides} win over the defaults (acks=all, idempotent). */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.putAll(overrides);
        return new KafkaProducer<>(
                client().producerProperties(p),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** A consumer for manual assignment; {@code committed} selects read_committed. */
    public KafkaConsumer<byte[], byte[]> consumer(boolean committed) {
        Map<String, Object> p = new HashMap<>();
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                committed ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(
                client().consumerProperties(p),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    public static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> out = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            out.add(new TopicPartition(topic, i));
        }
        return out;
    }

    /**
     * Sum of the end offsets of {@code partitions} as this consumer sees them (LSO when
     * read_committed).
     */
    public static long endOffsetSum(
            KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        long sum = 0;
        for (long v : consumer.endOffsets(partitions, Duration.ofSeconds(10)).values()) {
            sum += v;
        }
        return sum;
    }

    /** Topic names currently on the broker. */
    public Set<String> topics() throws Exception {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
