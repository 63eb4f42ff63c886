package dev.flowfn.deploy.control;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control server's view of {@code flowfn.functions}, and the only writer to it. A
 * background thread follows the topic; writers wait until their own write is visible, so a
 * deploy followed by an invoke never sees the old version.
 *
 * <p>Threads: one consumer thread (started by {@link #start}); readers and writers from any thread.
 */
public final class RegistryView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryView.class);
    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, FunctionSpec> live = new ConcurrentHashMap<>();
    private final Map<String, Long> highestVersion = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public RegistryView(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(this::follow, "flowfn-registry-view");
        thread.setDaemon(true);
    }

    /** Starts following and returns once the whole topic has been read. */
    public RegistryView start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("could not read " + Topics.FUNCTIONS + " within " + timeout + "; is Kafka up?");
        }
        return this;
    }

    public Optional<FunctionSpec> get(String name) {
        return Optional.ofNullable(live.get(name));
    }

    public List<FunctionSpec> all() {
        return List.copyOf(new TreeMap<>(live).values());
    }

    /** The version the next deploy of {@code name} gets. */
    public long nextVersion(String name) {
        return highestVersion.getOrDefault(name, 0L) + 1;
    }

    /** Writes a spec and waits until this view shows it. */
    public void put(FunctionSpec spec, Duration timeout) throws Exception {
        send(spec.getName(), SPECS.encode(spec));
        await(() -> get(spec.getName()).map(s -> s.getVersion() >= spec.getVersion()).orElse(false), timeout);
    }

    /** Deletes a function (a tombstone on the compacted topic) and waits until this view shows it. */
    public void delete(String name, Duration timeout) throws Exception {
        send(name, null);
        await(() -> !live.containsKey(name), timeout);
    }

    private void send(String name, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.FUNCTIONS, name.getBytes(StandardCharsets.UTF_8), value))
                .get(30, TimeUnit.SECONDS);
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the registry did not show the change within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.FUNCTIONS, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("registry view stopped", e);
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String name = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            live.remove(name);
            return;
        }
        try {
            FunctionSpec spec = SPECS.decode(r.value());
            live.put(name, spec);
            highestVersion.merge(name, spec.getVersion(), Math::max);
        } catch (UndecodableRecordException e) {
            LOG.warn("skipping registry record for {}: {}", name, e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
        producer.close();
    }
}
