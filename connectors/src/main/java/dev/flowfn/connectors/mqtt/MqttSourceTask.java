package dev.flowfn.connectors.mqtt;

import dev.flowfn.connectors.registry.RegistryFollower;
import dev.flowfn.schemas.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT subscriber. Delivery: at least once. A message is acknowledged to the broker (PUBACK /
 * PUBCOMP) only after Kafka has acknowledged every record made of it ({@link #commitRecord}), in
 * the order received; the session is persistent (fixed client id, clean session off), so messages
 * published while the connector is down are queued by the broker, and a message whose
 * acknowledgement died with the connector is delivered again (the only duplicates). At QoS 2 (MQTT
 * 3.1.1) such a repeat carries the event id of its first copy ({@link Qos2EventIds}), and the job
 * drops it.
 *
 * <p>Subscriptions follow {@code flowfn.functions}: a {@link RegistryFollower} thread recomputes
 * the union of mqtt: trigger filters on every deploy or delete and (un)subscribes on the live
 * connection, without a restart.
 *
 * <p>Threads: Connect calls {@link #start}, {@link #poll} on the task thread, {@link #commitRecord}
 * on the Kafka producer's I/O thread, and {@link #stop} on another thread while {@code poll} may be
 * running. MQTT messages arrive on the client's callback thread and are queued; registry changes
 * arrive on the follower's thread. Errors on those threads are recorded and rethrown by the next
 * {@code poll}; nothing throws on them.
 */
public final class MqttSourceTask extends SourceTask {

    static final String VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(MqttSourceTask.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BATCH = 2000;
    private static final Duration STATS_EVERY = Duration.ofSeconds(10);
    private final java.util.concurrent.atomic.AtomicLong received =
            new java.util.concurrent.atomic.AtomicLong();
    private long lastStats = System.nanoTime();

    private MqttSourceConfig config;
    private MqttRecords records;
    private BlockingQueue<MqttMessage> queue;

    /**
     * Messages received and not yet acknowledged, at most {@code mqtt.queue.capacity}: when full,
     * the MQTT callback thread waits, so the client stops reading and the broker holds the rest. A
     * slot is freed when the acknowledgement is handed to the client, so what a crash makes the
     * broker send again is at most this plus the acknowledgements still queued in the client or the
     * socket (no bound we know).
     */
    private Semaphore window;

    private final InOrderAcks acks = new InOrderAcks(() -> window.release());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Subscriptions subscriptions = Subscriptions.empty();
    private volatile boolean stopping;
    private volatile MqttConnection connection;
    private RegistryFollower follower;
    private String eventsTopic;
    private String rawTopic;
    private String dlqTopic;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new MqttSourceConfig(props);
        records = new MqttRecords(config.source(), config.getInt(MqttSourceConfig.MAX_PAYLOAD));
        int capacity = config.getInt(MqttSourceConfig.QUEUE_CAPACITY);
        window = new Semaphore(capacity);
        queue = new ArrayBlockingQueue<>(capacity);
        eventsTopic = config.getString(MqttSourceConfig.EVENTS_TOPIC);
        rawTopic = config.getString(MqttSourceConfig.RAW_TOPIC);
        dlqTopic = config.getString(MqttSourceConfig.DLQ_TOPIC);
        List<TopicFilter> configured = config.configuredFilters();
        subscriptions = Subscriptions.of(configured, Map.of());

        String bootstrap = config.getString(MqttSourceConfig.BOOTSTRAP);
        if (!bootstrap.isBlank()) {
            // the deployed triggers first, so the session's queued messages find their devices
            follower =
                    RegistryFollower.start(
                            config.kafka(),
                            functions -> resubscribe(Subscriptions.of(configured, functions)));
            try {
                if (!follower.awaitCaughtUp(Duration.ofSeconds(60))) {
                    throw new ConnectException(
                            "could not read flowfn.functions from "
                                    + bootstrap
                                    + " within 60 s; check "
                                    + MqttSourceConfig.BOOTSTRAP);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while reading flowfn.functions", e);
            }
        }
        Subscriptions initial =
                Subscriptions.of(configured, follower == null ? Map.of() : follower.functions());
        String what =
                "connect to "
                        + config.serverUri()
                        + " as client id "
                        + config.getString(MqttSourceConfig.CLIENT_ID);
        try {
            connection = MqttConnection.create(config, this::received);
            connection.connect(CONNECT_TIMEOUT);
        } catch (Exception e) {
            if (connection != null) {
                connection.close();
            }
            throw new ConnectException(
                    "could not "
                            + what
                            + " within "
                            + CONNECT_TIMEOUT.toSeconds()
                            + " s ("
                            + e.getMessage()
                            + "); check "
                            + MqttSourceConfig.SERVER_URI
                            + ", the credentials and that the broker is up",
                    e);
        }
        LOG.info(
                "connected to {} (MQTT {}, client id {}, persistent session)",
                config.serverUri(),
                config.getString(MqttSourceConfig.VERSION),
                config.getString(MqttSourceConfig.CLIENT_ID));
        // not awaited: a resumed session's queued messages arrive first and are acknowledged
        // only once poll() runs, and a broker may hold the SUBACK behind them
        synchronized (this) {
            for (TopicFilter f : initial.filters()) {
                connection.subscribe(f).whenComplete((ok, error) -> recordIfFailed(error));
            }
            subscriptions = initial;
        }
        LOG.info("subscribing to {}", describe(initial));
    }

    /** On the registry follower's thread: subscribe to new filters, drop the ones gone. */
    private synchronized void resubscribe(Subscriptions next) {
        if (connection == null) {
            subscriptions = next;
            return;
        }
        Subscriptions previous = subscriptions;
        List<TopicFilter> added = next.added(previous);
        List<String> removed = next.removed(previous);
        if (added.isEmpty() && removed.isEmpty()) {
            return;
        }
        // new filters before the set changes, so a message of a new filter finds its device level
        subscriptions = next;
        for (TopicFilter f : added) {
            connection.subscribe(f).whenComplete((ok, error) -> recordIfFailed(error));
        }
        for (String f : removed) {
            connection.unsubscribe(f).whenComplete((ok, error) -> recordIfFailed(error));
        }
        LOG.info("subscriptions now {} (added {}, removed {})", describe(next), added, removed);
    }

    private void recordIfFailed(Throwable error) {
        if (error != null && !stopping) {
            failure.compareAndSet(null, error);
        }
    }

    /**
     * On the MQTT client's callback thread: queue the message, waiting while the window is full
     * (back pressure: the client stops reading, the broker holds the rest; acknowledgements still
     * go out on the client's sender thread). Gives the message up, unacknowledged, if the
     * connection drops or the task stops meanwhile: the broker sends it again on the next
     * connection.
     */
    private void received(MqttMessage message) {
        received.incrementAndGet();
        try {
            while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (stopping || !connection.isConnected()) {
                    return;
                }
            }
            queue.put(message); // never blocks: the window is the queue's capacity
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Paho stops its callback thread this way
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long nanos = System.nanoTime();
        if (nanos - lastStats > STATS_EVERY.toNanos()) {
            lastStats = nanos;
            LOG.info(
                    "received {} messages, acknowledged {}, {} waiting for Kafka, {} queued",
                    received.get(),
                    acks.acknowledged(),
                    acks.inFlight(),
                    queue.size());
        }
        if (follower != null) {
            follower.checkAlive();
        }
        Throwable error = failure.get();
        if (error != null) {
            throw new ConnectException("MQTT subscription failed: " + error.getMessage(), error);
        }
        MqttMessage first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<MqttMessage> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        Instant now = Instant.now();
        Subscriptions current = subscriptions;
        List<SourceRecord> out = new ArrayList<>(batch.size() * 2);
        for (MqttMessage message : batch) {
            convert(message, current, now, out);
        }
        return out;
    }

    private void convert(
            MqttMessage m, Subscriptions current, Instant now, List<SourceRecord> out) {
        var device = current.device(m.topic());
        String subject = device.orElse(m.topic());
        Event event = records.event(m, subject, device.isPresent(), now);
        byte[] key = MqttRecords.utf8(subject);
        Runnable ack = m.qos() == 0 ? () -> {} : m::ack;
        if (records.tooLarge(m)) {
            InOrderAcks.Pending pending = acks.received(1, ack);
            out.add(
                    new Tracked(
                            pending,
                            dlqTopic,
                            null,
                            MqttRecords.encode(records.tooLarge(event, m.payload().length)),
                            now,
                            null));
            return;
        }
        boolean raw = !rawTopic.isBlank();
        InOrderAcks.Pending pending = acks.received(raw ? 2 : 1, ack);
        out.add(new Tracked(pending, eventsTopic, key, MqttRecords.encode(event), now, null));
        if (raw) {
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString("mqtt.topic", m.topic());
            headers.addString("mqtt.qos", Integer.toString(m.qos()));
            headers.addString("flowfn.event.id", event.getId());
            out.add(new Tracked(pending, rawTopic, key, m.payload(), now, headers));
        }
    }

    /**
     * On the producer's I/O thread: Kafka has the record (metadata null: it was dropped on purpose,
     * by a transform or {@code errors.tolerance=all}). Acknowledges the messages now complete.
     */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (record instanceof Tracked tracked) {
            tracked.pending.written();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        MqttConnection c = connection;
        if (c != null) {
            // unacknowledged messages stay with the broker's session and come again
            c.close();
        }
        if (follower != null) {
            follower.close();
        }
    }

    private static String describe(Subscriptions s) {
        return s.isEmpty()
                ? "nothing (no mqtt: trigger deployed)"
                : s.filters().stream().map(f -> f.filter() + "@qos" + f.qos()).toList().toString();
    }

    /** A record that knows the message it came from. */
    private static final class Tracked extends SourceRecord {
        final InOrderAcks.Pending pending;

        Tracked(
                InOrderAcks.Pending pending,
                String topic,
                byte[] key,
                byte[] value,
                Instant time,
                ConnectHeaders headers) {
            super(
                    null,
                    null,
                    topic,
                    null,
                    Schema.OPTIONAL_BYTES_SCHEMA,
                    key,
                    Schema.BYTES_SCHEMA,
                    value,
                    time.toEpochMilli(),
                    headers);
            this.pending = pending;
        }
    }
}
