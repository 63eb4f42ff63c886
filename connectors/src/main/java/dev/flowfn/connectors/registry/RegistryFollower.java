package dev.flowfn.connectors.registry;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.UndecodableRecordException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployed functions, followed live from the compacted {@code flowfn.functions} topic: what
 * connectors subscribe to or schedule follows deploys, updates and deletes without a restart.
 *
 * <p>Threads: one consumer thread of its own; {@link Listener#changed} runs on it, after each poll
 * that changed something (and once when the follower has caught up, even with no functions). {@link
 * #functions} may be called from any thread.
 */
public final class RegistryFollower implements AutoCloseable {

    /** Told of every change: the whole registry as it now is. */
    public interface Listener {
        void changed(Map<String, FunctionSpec> functions);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RegistryFollower.class);
    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Listener listener;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Map<String, FunctionSpec> live = new HashMap<>();
    private final Thread thread;
    private volatile Map<String, FunctionSpec> snapshot = Map.of();
    private volatile boolean running = true;
    private volatile Throwable failure;

    private RegistryFollower(String bootstrapServers, Listener listener) {
        this.listener = listener;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "flowfn-registry-follower");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::follow, "flowfn-registry-follower");
        thread.setDaemon(true);
    }

    /** Starts a thread reading {@code flowfn.functions} from the beginning (read_committed). */
    public static RegistryFollower start(String bootstrapServers, Listener listener) {
        RegistryFollower follower = new RegistryFollower(bootstrapServers, listener);
        follower.thread.start();
        return follower;
    }

    /** The functions now deployed, by name (an immutable snapshot). */
    public Map<String, FunctionSpec> functions() {
        return snapshot;
    }

    /**
     * Throws if the follower's thread died: a task that goes on would miss every deploy, so it
     * should fail where Connect shows it (call it from {@code poll}).
     *
     * @throws IllegalStateException naming the cause
     */
    public void checkAlive() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException(
                    "the registry follower stopped (" + f + "); restart the connector's task", f);
        }
    }

    /** Blocks until the follower has read up to the end offsets it saw when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void follow() {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.FUNCTIONS, Duration.ofSeconds(60)).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                boolean changed = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    changed |= apply(r);
                }
                boolean justCaughtUp =
                        caughtUp.getCount() > 0
                                && partitions.stream()
                                        .allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (changed || justCaughtUp) {
                    snapshot = Map.copyOf(live);
                    if (caughtUp.getCount() == 0 || justCaughtUp) {
                        notifyListener();
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
            LOG.error(
                    "following {} stopped: this connector no longer sees deploys; restart its task",
                    Topics.FUNCTIONS,
                    e);
        } finally {
            consumer.close();
        }
    }

    private void notifyListener() {
        try {
            listener.changed(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("registry listener failed", e);
        }
    }

    private boolean apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return false;
        }
        String name = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            return live.remove(name) != null;
        }
        try {
            live.put(name, SPECS.decode(r.value()));
            return true;
        } catch (UndecodableRecordException e) {
            LOG.warn("skipping {} record {}: {}", Topics.FUNCTIONS, name, e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
