package dev.flowfn.deploy.cli;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A steady stream of numbered events ({@code e-000000}, {@code e-000001}, ...) on a topic, keyed
 * over 50 devices, from a thread of its own, for the tests that count every event's result through
 * failures. Counts what Kafka acknowledged: the producer is idempotent and waits for each send, so
 * the count is also the highest number sent + 1.
 */
public final class NumberedEvents implements AutoCloseable {

    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final String bootstrap;
    private final String topic;
    private final int perSecond;
    private final Thread thread;

    private NumberedEvents(String bootstrap, String topic, int perSecond) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.perSecond = perSecond;
        this.thread = new Thread(this::produce, "numbered-events");
        thread.setDaemon(true);
    }

    /** Starts sending {@code perSecond} events a second to {@code topic}. */
    public static NumberedEvents start(String bootstrap, String topic, int perSecond) {
        NumberedEvents events = new NumberedEvents(bootstrap, topic, perSecond);
        events.thread.start();
        return events;
    }

    /** An idempotent producer that waits for all in-sync replicas. */
    public static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Events Kafka acknowledged so far. */
    public int acknowledged() {
        return acknowledged.get();
    }

    /** The send that failed, if one did (the stream then stopped). */
    public Exception failure() {
        return failure.get();
    }

    /** The upper-cased value of event {@code i}: what a handler that upper-cases returns. */
    public static String upperCased(int i) {
        return String.format("E-%06d", i);
    }

    private void produce() {
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int i = 0; running.get(); i++) {
                long due = start + i * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                producer.send(
                                new ProducerRecord<>(
                                        topic, "device-" + (i % 50), String.format("e-%06d", i)))
                        .get(60, TimeUnit.SECONDS);
                acknowledged.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Stops sending and waits for the last send. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(60_000);
    }
}
