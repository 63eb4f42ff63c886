package dev.flowfn.deploy.control;

import dev.flowfn.schemas.AvroCodec;
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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
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
 * A compacted topic of Avro records as a live map (key = record key, null value = deleted), and the
 * writer to it. Writers wait until their own write is visible here, so a client that writes then
 * reads never sees the old value.
 *
 * <p>Threads: one consumer thread, and the producer's I/O thread, both started by {@link #start}
 * (the constructor starts nothing and does not connect); reads and writes from any thread after
 * {@code start}. {@code onChange} runs on the consumer thread after each change.
 */
final class CompactedTopicView<V extends SpecificRecord> implements LiveTable<V> {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicView.class);

    private final String topic;
    private final AvroCodec<V> codec;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String bootstrap;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private final Map<String, V> live = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private final Consumer<V> onValue;
    private volatile Runnable onChange = () -> {};
    private volatile boolean running = true;

    /**
     * @param onValue sees every value read, in order (including ones later replaced)
     */
    CompactedTopicView(String bootstrap, String topic, Class<V> type, Consumer<V> onValue) {
        this.topic = topic;
        this.codec = AvroCodec.of(type);
        this.bootstrap = bootstrap;
        this.onValue = onValue;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::follow, "flowfn-view-" + topic);
        thread.setDaemon(true);
    }

    /** Starts following and returns once the whole topic has been read. */
    @Override
    public void start(Duration timeout) throws InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        thread.start();
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "could not read " + topic + " within " + timeout + "; is Kafka up?");
        }
    }

    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    @Override
    public Optional<V> get(String key) {
        return Optional.ofNullable(live.get(key));
    }

    /** The live values, ordered by key. */
    @Override
    public List<V> values() {
        return List.copyOf(new TreeMap<>(live).values());
    }

    /** Writes a value and waits until this view shows it ({@code visible} tells when). */
    @Override
    public void put(String key, V value, BooleanSupplier visible, Duration timeout)
            throws Exception {
        send(key, codec.encode(value));
        await(visible, timeout);
    }

    /** Deletes a key (a tombstone) and waits until this view shows it. */
    @Override
    public void delete(String key, Duration timeout) throws Exception {
        send(key, null);
        await(() -> !live.containsKey(key), timeout);
    }

    private void send(String key, byte[] value) throws Exception {
        KafkaProducer<byte[], byte[]> producer = this.producer;
        if (producer == null) {
            throw new IllegalStateException(topic + " is written before start(); start it first");
        }
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                .get(30, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the change was not visible within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private void follow() {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                boolean changed = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    changed |= apply(r);
                }
                if (changed) {
                    onChange.run();
                }
                if (caughtUp.getCount() > 0
                        && partitions.stream()
                                .allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("view of {} stopped", topic, e);
        } finally {
            consumer.close();
        }
    }

    private boolean apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return false;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            return live.remove(key) != null;
        }
        try {
            V value = codec.decode(r.value());
            live.put(key, value);
            onValue.accept(value);
            return true;
        } catch (UndecodableRecordException e) {
            LOG.warn("skipping {} record {}: {}", topic, key, e.getMessage());
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(5_000);
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(); // never started: the follower thread did not take it over
        }
        if (producer != null) {
            producer.close();
        }
    }
}
