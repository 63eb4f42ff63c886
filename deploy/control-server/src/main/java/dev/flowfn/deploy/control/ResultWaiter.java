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
 * Hands results ({@code flowfn.results}) to the callers waiting for them, by invocation id.
 * Register before the invocation is published, so no result can pass unseen. Reading read_committed
 * gives exactly-once results after the next checkpoint; reading read_uncommitted (the HTTP
 * gateway's fast path) gives them as soon as the job wrote them, at the price of possibly answering
 * from a transaction that a crash then aborts (the invocation then runs again and commits its
 * result once). The most recent results are kept for {@link #recent}.
 *
 * <p>Threads: one consumer thread; {@link #expect} and {@link #forget} from any thread. The futures
 * complete on the consumer thread: callers must not block it.
 */
public final class ResultWaiter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultWaiter.class);
    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, CompletableFuture<InvocationResult>> waiting =
            new ConcurrentHashMap<>();
    private final Map<String, InvocationResult> recent =
            java.util.Collections.synchronizedMap(
                    new java.util.LinkedHashMap<>(16, 0.75f, false) {
                        @Override
                        protected boolean removeEldestEntry(
                                Map.Entry<String, InvocationResult> eldest) {
                            return size() > RECENT;
                        }
                    });
    private final boolean keepRecent;

    /** How many recent results {@link #recent} keeps. */
    public static final int RECENT = 100_000;

    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param committed read_committed (exactly-once) or read_uncommitted (fast)
     * @param keepRecent whether to keep the last {@link #RECENT} results for {@link #recent}
     */
    public ResultWaiter(String bootstrap, boolean committed, boolean keepRecent) {
        this.keepRecent = keepRecent;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                committed ? "read_committed" : "read_uncommitted");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(Topics.RESULTS, Duration.ofSeconds(60)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now: results from here on are seen
        thread = new Thread(this::follow, "flowfn-results-" + (committed ? "committed" : "fast"));
        thread.setDaemon(true);
        thread.start();
    }

    public CompletableFuture<InvocationResult> expect(String invocationId) {
        return waiting.computeIfAbsent(invocationId, id -> new CompletableFuture<>());
    }

    public void forget(String invocationId) {
        waiting.remove(invocationId);
    }

    /** A result seen since this server started (the last {@link #RECENT}), if any. */
    public java.util.Optional<InvocationResult> recent(String invocationId) {
        return java.util.Optional.ofNullable(recent.get(invocationId));
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.key() == null || (waiting.isEmpty() && !keepRecent)) {
                        continue;
                    }
                    String id = new String(r.key(), StandardCharsets.UTF_8);
                    CompletableFuture<InvocationResult> f = waiting.remove(id);
                    if (f == null && !keepRecent) {
                        continue;
                    }
                    try {
                        InvocationResult result = RESULTS.decode(r.value());
                        if (keepRecent) {
                            recent.put(id, result);
                        }
                        if (f != null) {
                            f.complete(result);
                        }
                    } catch (UndecodableRecordException e) {
                        if (f != null) {
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
