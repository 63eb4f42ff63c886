package dev.flowfn.connectors.mqtt;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Acknowledges MQTT messages to the broker only once Kafka has every record made of them, and in
 * the order they were received (MQTT requires PUBACKs in order; a later message whose records were
 * written first waits for the earlier ones).
 *
 * <p>Threads: {@link #received} is called by the task thread (in {@code poll}), {@link
 * Pending#written} by the Kafka producer's I/O thread (in {@code commitRecord}); both synchronize
 * on this object. An acknowledgement runs on the thread that completed the head of the queue and
 * must not throw.
 */
public final class InOrderAcks {

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Runnable onAcknowledged;
    private long acknowledged;

    public InOrderAcks() {
        this(() -> {});
    }

    /** {@code onAcknowledged} runs after each acknowledgement (frees a slot of the window). */
    public InOrderAcks(Runnable onAcknowledged) {
        this.onAcknowledged = onAcknowledged;
    }

    /**
     * Registers a message made into {@code records} records; {@code ack} runs once all are written.
     */
    public synchronized Pending received(int records, Runnable ack) {
        Pending pending = new Pending(records, ack);
        queue.addLast(pending);
        return pending;
    }

    /** Messages received and not yet acknowledged. */
    public synchronized int inFlight() {
        return queue.size();
    }

    public synchronized long acknowledged() {
        return acknowledged;
    }

    private synchronized void drain() {
        while (!queue.isEmpty() && queue.peekFirst().remaining.get() <= 0) {
            Pending head = queue.pollFirst();
            acknowledged++;
            head.ack.run();
            onAcknowledged.run();
        }
    }

    /** One received message. */
    public final class Pending {
        private final AtomicInteger remaining;
        private final Runnable ack;

        private Pending(int records, Runnable ack) {
            this.remaining = new AtomicInteger(records);
            this.ack = ack;
        }

        /** One of this message's records is in Kafka (or was dropped on purpose). */
        public void written() {
            if (remaining.decrementAndGet() == 0) {
                drain();
            }
        }
    }
}
