package dev.flowfn.deploy.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each committed alert ({@code flowfn.alerts}) to its function's webhook, as JSON, with
 * retries (1, 2, 4, 8 s). Its consumer group commits after each alert is handled, so a restarted
 * server neither skips nor resends handled alerts; a webhook may see an alert twice only if the
 * server dies between the POST and the commit.
 *
 * <p>Threads: one, started by {@link #start} (the constructor neither connects nor starts it); a
 * webhook that keeps failing holds the queue for at most 15 s, then is logged.
 */
final class AlertNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);
    private static final AvroCodec<Alert> ALERTS = AvroCodec.of(Alert.class);
    private static final int ATTEMPTS = 5;

    /**
     * What an alert asks of the control server (an alias to move back); the alert to add, if any.
     */
    interface Reaction {
        Optional<Alert> on(Alert alert);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Reaction reaction;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Thread thread;
    private volatile boolean running = true;

    AlertNotifier(KafkaClientConfig kafka, Reaction reaction) {
        this.reaction = reaction;
        producer =
                new KafkaProducer<>(
                        kafka.producerProperties(
                                Map.of(
                                        ProducerConfig.ACKS_CONFIG, "all",
                                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
        Map<String, Object> c =
                kafka.consumerProperties(
                        Map.of(
                                ConsumerConfig.GROUP_ID_CONFIG, "flowfn-alert-notifier",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.ALERTS));
        thread = new Thread(this::run, "flowfn-alert-notifier");
        thread.setDaemon(true);
    }

    /** Starts sending alerts to their webhooks. */
    AlertNotifier start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        Alert alert = ALERTS.decode(r.value());
                        react(alert);
                        notify(alert);
                    } catch (RuntimeException e) {
                        LOG.warn("skipping alert record {}: {}", r.offset(), e.getMessage());
                    }
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("alert notifier stopped", e);
        } finally {
            consumer.close();
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Acts on the alert (an alias rollback) and publishes what was done as an alert. */
    private void react(Alert alert) {
        Optional<Alert> done = reaction.on(alert);
        if (done.isPresent()) {
            try {
                producer.send(
                                new ProducerRecord<>(
                                        Topics.ALERTS,
                                        alert.getFunction().getBytes(StandardCharsets.UTF_8),
                                        ALERTS.encode(done.get())))
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.error(
                        "could not publish that alias {} of {} was rolled back: {}",
                        alert.getRollback(),
                        alert.getFunction(),
                        e.toString());
            }
        }
    }

    private void notify(Alert alert) {
        if (alert.getWebhook() == null) {
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(SpecJson.alert(alert));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(alert.getWebhook()))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        for (int attempt = 1; attempt <= ATTEMPTS && running; attempt++) {
            try {
                int status =
                        http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 300) {
                    LOG.info(
                            "alert {} {} of {} sent to its webhook",
                            alert.getRule(),
                            alert.getState(),
                            alert.getFunction());
                    return;
                }
                LOG.warn(
                        "alert webhook of {} answered {} (attempt {})",
                        alert.getFunction(),
                        status,
                        attempt);
            } catch (java.io.IOException e) {
                LOG.warn(
                        "alert webhook of {} failed (attempt {}): {}",
                        alert.getFunction(),
                        attempt,
                        e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(1000L << (attempt - 1));
        }
        LOG.error(
                "gave up sending alert {} {} of {} after {} attempts",
                alert.getRule(),
                alert.getState(),
                alert.getFunction(),
                ATTEMPTS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(5_000);
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close();
            producer.close(Duration.ofSeconds(5)); // never started: the thread did not take it over
        }
    }
}
