package dev.flowfn.deploy.local;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Trigger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Reading topics and writing function specs, as any Kafka client would. */
final class KafkaTopics {

    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);

    /**
     * Every record of {@code topic} from the beginning, until {@code done} holds for what was read
     * or {@code timeout} passed (then returns what there is).
     */
    static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrap,
            String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
            Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions =
                        consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                                .map(i -> new TopicPartition(topic, i.partition()))
                                .toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (done.test(out)) {
                    break;
                }
            }
        }
        return out;
    }

    /** Deploys (as the control server would write it) a spec with {@code triggers}. */
    static void deploy(String bootstrap, String name, List<Trigger> triggers) throws Exception {
        FunctionSpec spec =
                FunctionSpec.newBuilder()
                        .setName(name)
                        .setVersion(1)
                        .setHandler("dev.flowfn.examples.iotlogs.ParseDeviceLog")
                        .setCodeUri("s3://flowfn-code/" + name + ".jar")
                        .setCodeSha256("0".repeat(64))
                        .setRetry(new RetryPolicy(1, 100L))
                        .setTriggers(triggers)
                        .setDeployedAt(Instant.now())
                        .build();
        send(bootstrap, name, SPECS.encode(spec));
    }

    /** Deletes a function (a tombstone on flowfn.functions). */
    static void delete(String bootstrap, String name) throws Exception {
        send(bootstrap, name, null);
    }

    static Trigger mqtt(String filter, int qos) {
        return new Trigger(
                "mqtt",
                Map.of("topic", filter, "qos", Integer.toString(qos)),
                "mqtt:topic=" + filter + ",qos=" + qos);
    }

    private static void send(String bootstrap, String name, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    dev.flowfn.schemas.Topics.FUNCTIONS,
                                    name.getBytes(StandardCharsets.UTF_8),
                                    value))
                    .get();
        }
    }

    private KafkaTopics() {}
}
