package dev.flowfn.testing;

import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node Kafka (KRaft, combined mode) inside the test JVM, with Flowfn's topics. */
public final class KafkaTestCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;

    private KafkaTestCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    public static KafkaTestCluster start() throws Exception {
        return start(Map.of());
    }

    /** With {@code brokerConfig} on top, e.g. {@code auto.create.topics.enable=false}. */
    public static KafkaTestCluster start(Map<String, String> brokerConfig) throws Exception {
        KafkaClusterTestKit.Builder builder =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("num.partitions", "2");
        brokerConfig.forEach(builder::setConfigProp);
        KafkaClusterTestKit kit = builder.build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        KafkaTestCluster cluster = new KafkaTestCluster(kit);
        cluster.createFlowfnTopics();
        return cluster;
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    private void createFlowfnTopics() throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : Topics.ALL) {
                NewTopic topic = new NewTopic(t, Topics.COMPACTED.contains(t) ? 1 : 2, (short) 1);
                if (Topics.COMPACTED.contains(t)) {
                    topic.configs(Map.of("cleanup.policy", "compact"));
                }
                topics.add(topic);
            }
            admin.createTopics(topics).all().get();
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return Admin.create(p);
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    public void send(String topic, byte[] key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /**
     * Reads a topic from the beginning (read_committed) until {@code count} records have come or
     * the timeout passes, then keeps reading for {@code settle} to catch any extra record.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String topic, int count, Duration timeout, Duration settle) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(timeout);
            Instant settleUntil = null;
            while (true) {
                Instant now = Instant.now();
                if (settleUntil == null && (out.size() >= count || now.isAfter(deadline))) {
                    settleUntil = now.plus(settle);
                }
                if (settleUntil != null && now.isAfter(settleUntil)) {
                    return out;
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
