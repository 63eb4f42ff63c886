package dev.flowfn.deploy.control;

import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands committed results ({@code flowfn.results}, read_committed) to the callers waiting for them,
 * by invocation id: the API's synchronous invocations, and the HTTP gateway's requests whose pushed
 * reply did not come (the job pushes every result of a gateway request before it commits it; this
 * is the fallback, one checkpoint later). Register before the invocation is published, so no result
 * can pass unseen. The most recent results are kept for {@link #recent}. The bookkeeping is {@link
 * ResultHandoff}'s.
 *
 * <p>Threads: one consumer thread, started by {@link #start} (the constructor neither connects nor
 * starts it); {@link #expect} and {@link #forget} from any thread. The futures complete on the
 * consumer thread: callers must not block it.
 */
public final class ResultWaiter implements ResultSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultWaiter.class);

    /** How many recent results {@link #recent} keeps. */
    public static final int RECENT = 100_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ResultHandoff handoff;
    private final Thread thread;
    private volatile boolean running = true;

    public ResultWaiter(KafkaClientConfig kafka) {
        this.handoff = new ResultHandoff(true, RECENT);
        Map<String, Object> c =
                kafka.consumerProperties(
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                "false",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"));
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::follow, "flowfn-results");
        thread.setDaemon(true);
    }

    /**
     * Fixes the start at the current end of {@code flowfn.results} (results from here on are seen)
     * and starts following. Blocks up to 60 s for the topic's partitions.
     */
    public ResultWaiter start() {
        List<TopicPartition> partitions =
                consumer.partitionsFor(Topics.RESULTS, Duration.ofSeconds(60)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now: results from here on are seen
        thread.start();
        return this;
    }

    @Override
    public CompletableFuture<InvocationResult> expect(String invocationId) {
        return handoff.expect(invocationId);
    }

    @Override
    public void forget(String invocationId) {
        handoff.forget(invocationId);
    }

    /** A result seen since this server started (the last {@link #RECENT}), if any. */
    @Override
    public Optional<InvocationResult> recent(String invocationId) {
        return handoff.recent(invocationId);
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    handoff.accept(r.key(), r.value());
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
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(5_000);
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(); // never started: the follower thread did not take it over
        }
    }
}
