package dev.flowfn.kafka;

import dev.flowfn.schemas.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
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
 * A compacted topic followed from its beginning (read_committed) into a live map: key = record key
 * as UTF-8, a null value (tombstone) deletes. A record the decoder rejects is skipped with one log
 * line naming the topic and key. A writable view ({@link #ofAvro}) also writes to the topic, and
 * its writers wait until their own write is visible here, so a client that writes then reads never
 * sees the old value.
 *
 * <p>Threads: {@link #start} starts one consumer thread (nothing connects before); the producer
 * (and its I/O thread) is made on the first write. {@code onValue} and {@code onChange} run on the
 * consumer thread; set them before {@code start}. Reads and writes from any thread. If the consumer
 * thread dies, {@link #checkAlive} throws on the caller's thread.
 */
public final class CompactedTopicView<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicView.class);

    private final KafkaClientConfig kafka;
    private final String topic;
    private final Function<byte[], V> decoder;
    private final Function<V, byte[]> encoder;
    private final Map<String, V> live = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private String name;
    private Consumer<V> onValue = v -> {};
    private volatile Consumer<Map<String, V>> onChange = m -> {};
    private volatile Map<String, V> snapshot = Map.of();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private CompactedTopicView(
            KafkaClientConfig kafka,
            String topic,
            Function<byte[], V> decoder,
            Function<V, byte[]> encoder) {
        this.kafka = kafka;
        this.topic = topic;
        this.decoder = decoder;
        this.encoder = encoder;
        this.name = "flowfn-view-" + topic;
    }

    /** A view of a topic of Avro single-object records, which it may also write. */
    public static <V extends SpecificRecord> CompactedTopicView<V> ofAvro(
            KafkaClientConfig kafka, String topic, Class<V> type) {
        AvroCodec<V> codec = AvroCodec.of(type);
        return new CompactedTopicView<>(kafka, topic, codec::decode, codec::encode);
    }

    /** A view that only reads; {@code decoder} throws on a record it cannot decode. */
    public static <V> CompactedTopicView<V> readOnly(
            KafkaClientConfig kafka, String topic, Function<byte[], V> decoder) {
        return new CompactedTopicView<>(kafka, topic, decoder, null);
    }

    /** Names the consumer thread and the consumer's client.id (before {@link #start}). */
    public CompactedTopicView<V> named(String name) {
        this.name = name;
        return this;
    }

    /** Sees every value read, in order, including ones later replaced (before {@link #start}). */
    public CompactedTopicView<V> onValue(Consumer<V> onValue) {
        this.onValue = onValue;
        return this;
    }

    /**
     * Told the whole table (an immutable snapshot) once the view has caught up, even if empty, and
     * after each poll that changed something from then on.
     */
    public CompactedTopicView<V> onChange(Consumer<Map<String, V>> onChange) {
        this.onChange = onChange;
        return this;
    }

    /** Starts following; returns at once. */
    public synchronized CompactedTopicView<V> start() {
        if (thread != null) {
            throw new IllegalStateException("the view of " + topic + " is already started");
        }
        consumer =
                new KafkaConsumer<>(
                        kafka.consumerProperties(
                                Map.of(
                                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                        ConsumerConfig.CLIENT_ID_CONFIG, name)),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        thread = new Thread(this::follow, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Starts following and returns once the whole topic (up to its end when this started) has been
     * read.
     *
     * @throws IllegalStateException if that takes longer than {@code timeout}, or at once if the
     *     consumer failed (a login the broker refused): its cause is the consumer's failure
     */
    public CompactedTopicView<V> start(Duration timeout) throws InterruptedException {
        start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp.await(100, TimeUnit.MILLISECONDS)) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read "
                                + topic
                                + ": "
                                + KafkaClientFailure.noAnswer(kafka, timeout));
            }
        }
        return this;
    }

    /** Blocks until the view has read up to the end offsets it saw when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Throws if the consumer thread died: the view no longer changes.
     *
     * @throws IllegalStateException naming the cause
     */
    public void checkAlive() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("following " + topic + " stopped (" + f + ")", f);
        }
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(live.get(key));
    }

    /** The live values, ordered by key. */
    public List<V> values() {
        return List.copyOf(new TreeMap<>(live).values());
    }

    /** The table as of the last poll that changed it (immutable). */
    public Map<String, V> snapshot() {
        return snapshot;
    }

    /** Writes a value and waits until {@code visible} holds (at most {@code timeout}). */
    public void put(String key, V value, BooleanSupplier visible, Duration timeout)
            throws Exception {
        if (encoder == null) {
            throw new UnsupportedOperationException("the view of " + topic + " is read-only");
        }
        send(key, encoder.apply(value));
        await(visible, timeout);
    }

    /** Deletes a key (a tombstone) and waits until this view no longer has it. */
    public void delete(String key, Duration timeout) throws Exception {
        if (encoder == null) {
            throw new UnsupportedOperationException("the view of " + topic + " is read-only");
        }
        send(key, null);
        await(() -> !live.containsKey(key), timeout);
    }

    private void send(String key, byte[] value) throws Exception {
        producer()
                .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                .get(30, TimeUnit.SECONDS);
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (thread == null) {
            throw new IllegalStateException(topic + " is written before start(); start it first");
        }
        if (producer == null) {
            producer =
                    new KafkaProducer<>(
                            kafka.producerProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                            new ByteArraySerializer(),
                            new ByteArraySerializer());
        }
        return producer;
    }

    private void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the change to " + topic + " was not visible within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private void follow() {
        KafkaConsumer<byte[], byte[]> consumer = this.consumer;
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
                boolean justCaughtUp =
                        caughtUp.getCount() > 0
                                && partitions.stream()
                                        .allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (changed || justCaughtUp) {
                    snapshot = Map.copyOf(live);
                    if (caughtUp.getCount() == 0 || justCaughtUp) {
                        notifyChange();
                    }
                }
                if (justCaughtUp) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) { // an Error too (a plugin jar replaced under a running worker)
            failure = e;
            LOG.error("following {} stopped: this view no longer changes", topic, e);
        } finally {
            consumer.close();
        }
    }

    private void notifyChange() {
        try {
            onChange.accept(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("a listener of {} failed", topic, e);
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
        V value;
        try {
            value = decoder.apply(r.value());
        } catch (RuntimeException e) {
            LOG.warn(
                    "skipping {} record {} at partition {} offset {}: {}",
                    topic,
                    key,
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            return false;
        }
        live.put(key, value);
        onValue.accept(value);
        return true;
    }

    /** Stops the consumer thread (waits up to 5 s for it) and closes the producer. */
    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            consumer.wakeup();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        KafkaProducer<byte[], byte[]> p = producer;
        if (p != null) {
            p.close();
        }
    }
}
