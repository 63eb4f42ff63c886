package dev.flowfn.bench.infra;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads a topic from its end at construction on a thread of its own, handing each record and the
 * wall-clock time it arrived (epoch µs) to a callback. {@code committed} reads as an exactly-once
 * consumer does (read_committed); otherwise records show as soon as the job wrote them, when the
 * HTTP gateway's pushed replies see them.
 */
public final class ResultTap implements AutoCloseable {

    /** Called on the tap's thread. */
    public interface Listener {
        void record(ConsumerRecord<byte[], byte[]> record, long arrivedMicros);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    public ResultTap(BenchKafka kafka, String topic, boolean committed, Listener listener) {
        consumer = kafka.consumer(committed);
        List<TopicPartition> partitions = BenchKafka.partitions(topic);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, not at the first poll
        thread =
                new Thread(
                        () -> {
                            try {
                                while (running) {
                                    var records = consumer.poll(Duration.ofMillis(100));
                                    long now = Clock.micros();
                                    for (ConsumerRecord<byte[], byte[]> r : records) {
                                        listener.record(r, now);
                                    }
                                }
                            } catch (WakeupException e) {
                                // closing
                            } catch (Throwable e) {
                                failure.set(e);
                            } finally {
                                consumer.close(Duration.ofSeconds(2));
                            }
                        },
                        "bench-tap-" + topic + (committed ? "-committed" : "-uncommitted"));
        thread.setDaemon(true);
        thread.start();
    }

    /** Rethrows the tap thread's failure, if it had one. */
    public void check() {
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("result reader failed: " + e, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
