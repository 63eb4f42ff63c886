package dev.flowfn.deploy.local;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads {@code flowfn.results} (or any Flowfn topic) as any read_committed consumer would. */
final class ResultsReader {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);

    /**
     * Reads from the beginning until {@code count} matching results came or the timeout passed,
     * then 2 s more.
     */
    static List<InvocationResult> read(
            String bootstrap, Predicate<InvocationResult> which, int count, Duration timeout) {
        return read(bootstrap, Topics.RESULTS, RESULTS, which, count, timeout);
    }

    /**
     * Reads {@code topic} from the beginning as a read_committed consumer until {@code count}
     * matching records came or the timeout passed, then 2 s more (a duplicate would show).
     */
    static <T extends SpecificRecord> List<T> read(
            String bootstrap,
            String topic,
            AvroCodec<T> codec,
            Predicate<T> which,
            int count,
            Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(
                                r -> {
                                    T value = codec.decode(r.value());
                                    if (which.test(value)) {
                                        out.add(value);
                                    }
                                });
                if (out.size() >= count && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return out;
    }

    private ResultsReader() {}
}
