package dev.flowfn.bench.infra;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** How the scenarios put events on trigger topics: a held-back backlog, or a paced stream. */
public final class Events {

    public static final int EVENT_BYTES = 100;

    /**
     * A backlog written in one open transaction: invisible to the jobs (they read read_committed)
     * until {@link #release()}, so a job can start, load its registry and be confirmed ready before
     * the first event arrives, and then meets the whole backlog at once.
     */
    public static final class Backlog implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        public final long records;

        private Backlog(KafkaProducer<byte[], byte[]> producer, long records) {
            this.producer = producer;
            this.records = records;
        }

        public void release() {
            producer.commitTransaction();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /**
     * {@code count} 100-byte events spread round-robin over {@code topics}, keys {@code k0..k999}.
     */
    public static Backlog backlog(BenchKafka kafka, List<String> topics, long count) {
        KafkaProducer<byte[], byte[]> producer =
                kafka.producer(
                        Map.of(
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "bench-backlog-" + System.nanoTime(),
                                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                                600_000,
                                ProducerConfig.LINGER_MS_CONFIG,
                                10,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                256 * 1024));
        producer.initTransactions();
        producer.beginTransaction();
        byte[] value = payload(0);
        byte[][] keys = new byte[1000][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("k" + i).getBytes(StandardCharsets.UTF_8);
        }
        for (long i = 0; i < count; i++) {
            producer.send(
                    new ProducerRecord<>(
                            topics.get((int) (i % topics.size())),
                            keys[(int) (i % keys.length)],
                            value));
        }
        producer.flush();
        return new Backlog(producer, count);
    }

    /**
     * Sends {@code count} 100-byte events to {@code topic} as fast as the producer goes, each with
     * a key of its own ({@code "<prefix><i>"}); returns once Kafka acknowledged them all.
     */
    public static void uniqueKeys(BenchKafka kafka, String topic, String prefix, long count) {
        try (KafkaProducer<byte[], byte[]> producer =
                kafka.producer(
                        Map.of(
                                ProducerConfig.LINGER_MS_CONFIG,
                                10,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                256 * 1024))) {
            byte[] value = payload(0);
            for (long i = 0; i < count; i++) {
                producer.send(
                        new ProducerRecord<>(
                                topic, (prefix + i).getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
    }

    /**
     * Sends {@code rate} events per second to {@code topic} until {@code micros} have passed or
     * {@code stop} is set, each event carrying its send time (epoch µs) before its first space.
     * Keys cycle over {@code keys} values ({@code 0}: every event its own key). Returns the count.
     */
    public static long paced(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            double rate,
            long micros,
            int keys,
            AtomicBoolean stop) {
        long startNanos = System.nanoTime();
        long sent = 0;
        while (!stop.get()) {
            long elapsed = System.nanoTime() - startNanos;
            if (elapsed >= micros * 1000) {
                break;
            }
            long due = (long) (rate * elapsed / 1e9) + 1;
            while (sent < due) {
                String key = "k" + (keys == 0 ? sent : sent % keys);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                key.getBytes(StandardCharsets.UTF_8),
                                payload(Clock.micros())));
                sent++;
            }
            long next = startNanos + (long) (sent * 1e9 / rate);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, 1_000_000));
            }
        }
        producer.flush();
        return sent;
    }

    /** A 100-byte event: the send time, a space, padding. */
    public static byte[] payload(long sentMicros) {
        byte[] head = (sentMicros + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, EVENT_BYTES);
        Arrays.fill(out, head.length, EVENT_BYTES, (byte) 'x');
        return out;
    }

    /** The send time an event or a Stamp result starts with; -1 if none. */
    public static long sentMicros(String text) {
        int end = 0;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == 0 ? -1 : Long.parseLong(text.substring(0, end));
    }

    private Events() {}
}
