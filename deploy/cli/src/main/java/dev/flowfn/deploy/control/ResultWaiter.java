package dev.flowfn.deploy.control;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands committed results ({@code flowfn.results}, read_committed) to the callers waiting for
 * them, by invocation id. Register before the invocation is published, so no result can
 * pass unseen.
 *
 * <p>Threads: one consumer thread; {@link #expect} and {@link #forget} from any thread. The
 * futures complete on the consumer thread: callers must not block it.
 */
public final class ResultWaiter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultWaiter.class);
    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, CompletableFuture<InvocationResult>> waiting = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ResultWaiter(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESULTS, Duration.ofSeconds(60)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now: results from here on are seen
        thread = new Thread(this::follow, "flowfn-result-waiter");
        thread.setDaemon(true);
        thread.start();
    }

    public CompletableFuture<InvocationResult> expect(String invocationId) {
        return waiting.computeIfAbsent(invocationId, id -> new CompletableFuture<>());
    }

    public void forget(String invocationId) {
        waiting.remove(invocationId);
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.key() == null || waiting.isEmpty()) {
                        continue;
                    }
                    CompletableFuture<InvocationResult> f = waiting.remove(new String(r.key(), StandardCharsets.UTF_8));
                    if (f != null) {
                        try {
                            f.complete(RESULTS.decode(r.value()));
                        } catch (UndecodableRecordException e) {
                            f.completeExceptionally(e);
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("result waiter stopped", e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
