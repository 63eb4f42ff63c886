package dev.flowfn.connectors.registry;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows {@code flowfn.functions}: the functions now deployed, for connectors whose subscriptions
 * depend on triggers. Placeholder with the API of CONTRACTS.md until the lead's version lands on
 * main (a merge takes main's file).
 *
 * <p>Threads: one daemon thread reads the topic and calls the listener; {@link #functions()} and
 * {@link #awaitCaughtUp} may be called from any thread.
 */
public final class RegistryFollower implements AutoCloseable {

    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Listener listener;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile Map<String, FunctionSpec> functions = Map.of();
    private volatile boolean closed;

    private RegistryFollower(String bootstrapServers, Listener listener) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "flowfn-registry-follower");
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.listener = listener;
        this.thread = new Thread(this::run, "flowfn-registry-follower");
        this.thread.setDaemon(true);
    }

    /** Starts a thread reading flowfn.functions from the beginning (read_committed). */
    public static RegistryFollower start(String bootstrapServers, Listener listener) {
        RegistryFollower follower = new RegistryFollower(bootstrapServers, listener);
        follower.thread.start();
        return follower;
    }

    /** The functions now deployed, by name (an immutable snapshot). */
    public Map<String, FunctionSpec> functions() {
        return functions;
    }

    /** Blocks until the follower has read to the end offsets it saw at start. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        Map<String, FunctionSpec> current = new HashMap<>();
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.FUNCTIONS, Duration.ofSeconds(60)).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            boolean first = true;
            while (!closed) {
                boolean changed = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String name = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        changed |= current.remove(name) != null;
                    } else {
                        try {
                            current.put(name, SPECS.decode(r.value()));
                            changed = true;
                        } catch (RuntimeException undecodable) {
                            // a spec of another version of the platform: keep the last one
                        }
                    }
                }
                boolean atEnd =
                        partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (changed || (first && atEnd)) {
                    functions = Map.copyOf(current);
                    if (atEnd || caughtUp.getCount() == 0) {
                        listener.changed(functions);
                    }
                }
                if (atEnd && first) {
                    first = false;
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public interface Listener {
        void changed(Map<String, FunctionSpec> functions);
    }
}
