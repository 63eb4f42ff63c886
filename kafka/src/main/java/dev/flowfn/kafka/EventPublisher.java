package dev.flowfn.kafka;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Puts events on {@code flowfn.events} for pushed sources (direct invocations, webhooks, the HTTP
 * gateway). The returned future completes only when every in-sync replica has the event, so a
 * caller answers its client after the event is safe, and never before.
 *
 * <p>Thread-safe: many request threads share one producer. The future completes on the producer's
 * I/O thread; callers must not block it.
 */
public final class EventPublisher implements AutoCloseable {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    private final Producer<byte[], byte[]> producer;

    public EventPublisher(KafkaClientConfig kafka) {
        Map<String, Object> p =
                kafka.producerProperties(
                        Map.of(
                                ProducerConfig.ACKS_CONFIG, "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                                ProducerConfig.LINGER_MS_CONFIG, "1",
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000",
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"));
        this.producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Publishes the event keyed by its subject (or id); completes when Kafka has it. */
    public CompletableFuture<Void> publish(Event event) {
        String key = event.getSubject() != null ? event.getSubject() : event.getId();
        CompletableFuture<Void> acked = new CompletableFuture<>();
        producer.send(
                new ProducerRecord<>(
                        Topics.EVENTS, key.getBytes(StandardCharsets.UTF_8), EVENTS.encode(event)),
                (metadata, error) -> {
                    if (error != null) {
                        acked.completeExceptionally(error);
                    } else {
                        acked.complete(null);
                    }
                });
        return acked;
    }

    @Override
    public void close() {
        producer.close();
    }
}
