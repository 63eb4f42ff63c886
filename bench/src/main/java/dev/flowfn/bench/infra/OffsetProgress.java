package dev.flowfn.bench.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How fast a job writes its output topic, from the topic's end offsets sampled every 20 ms: the
 * high watermark (records written by the exactly-once sink, committed or not) and the last stable
 * offset (records committed). No record is read, so measuring costs the job almost no CPU. Offsets
 * also count the few transaction markers (one per partition per checkpoint).
 */
public final class OffsetProgress {

    /**
     * A throughput measurement; rates in records per second. {@code writtenPerSecond} is the steady
     * rate (the window after the warm-up); {@code wholePerSecond} the rate over the whole backlog,
     * from the first output to the last, NaN unless measured with {@code whole}.
     */
    public record Throughput(
            double writtenPerSecond,
            double committedPerSecond,
            double windowSeconds,
            long writtenInWindow,
            long writtenTotal,
            long committedTotal,
            double secondsToFirstOutput,
            double wholePerSecond,
            double wholeSeconds) {

        public Map<String, Object> details() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("writtenPerSecond", Math.round(writtenPerSecond));
            m.put("committedPerSecond", Math.round(committedPerSecond));
            m.put("windowSeconds", Math.round(windowSeconds * 100) / 100.0);
            m.put("recordsInWindow", writtenInWindow);
            m.put("writtenTotal", writtenTotal);
            m.put("committedTotal", committedTotal);
            m.put("secondsToFirstOutput", Math.round(secondsToFirstOutput * 100) / 100.0);
            if (Double.isFinite(wholePerSecond)) {
                m.put("wholeBacklogPerSecond", Math.round(wholePerSecond));
                m.put("wholeBacklogSeconds", Math.round(wholeSeconds * 100) / 100.0);
            }
            return m;
        }
    }

    private record Sample(long nanos, long written, long committed) {}

    private final List<TopicPartition> partitions;
    private final KafkaConsumer<byte[], byte[]> uncommitted;
    private final KafkaConsumer<byte[], byte[]> committed;
    private final long writtenStart;
    private final long committedStart;
    private final List<Sample> samples = new ArrayList<>();

    public OffsetProgress(BenchKafka kafka, String topic) {
        partitions = BenchKafka.partitions(topic);
        uncommitted = kafka.consumer(false);
        committed = kafka.consumer(true);
        writtenStart = BenchKafka.endOffsetSum(uncommitted, partitions);
        committedStart = BenchKafka.endOffsetSum(committed, partitions);
        // nothing yet: a job that writes a short backlog before the first sample of measure()
        // still has a sample before its first output
        samples.add(new Sample(System.nanoTime(), 0, 0));
    }

    /**
     * Samples until {@code expected} records are written or the window is over, and returns the
     * steady rate: from {@code warmup} after the first output until {@code measure} later, or until
     * 90% of {@code expected} were written if that comes first.
     *
     * @param alive called about once a second; throws if the job died
     */
    public Throughput measure(
            long expected, Duration warmup, Duration measure, Duration timeout, Runnable alive) {
        return measure(expected, warmup, measure, timeout, alive, false);
    }

    /**
     * As {@link #measure(long, Duration, Duration, Duration, Runnable)}; with {@code whole} it
     * samples on until all {@code expected} records are written (the offsets count transaction
     * markers too: a few hundred of a backlog of millions) and also returns the rate over the whole
     * backlog, from the first sample that saw output to the first that saw all of it.
     */
    public Throughput measure(
            long expected,
            Duration warmup,
            Duration measure,
            Duration timeout,
            Runnable alive,
            boolean whole) {
        long start = System.nanoTime();
        long first = -1;
        int firstIndex = -1;
        long firstWritten = 0;
        long lastCheck = start;
        while (true) {
            Sample s = sample();
            if (first < 0 && s.written > 0) {
                first = s.nanos;
                firstIndex = samples.size() - 1;
                firstWritten = s.written;
            }
            if (first >= 0
                    && ((!whole && s.nanos - first >= warmup.plus(measure).toNanos())
                            || s.written >= expected)) {
                break;
            }
            if (s.nanos - start > timeout.toNanos()) {
                throw new IllegalStateException(
                        "only "
                                + s.written
                                + " of "
                                + expected
                                + " records written within "
                                + timeout.toSeconds()
                                + " s");
            }
            if (s.nanos - lastCheck > 1_000_000_000L) {
                alive.run();
                lastCheck = s.nanos;
            }
            Clock.sleep(20);
        }
        long reached90 = timeWhen((long) (expected * 0.9));
        long end =
                Math.min(
                        first + warmup.plus(measure).toNanos(),
                        reached90 < 0 ? Long.MAX_VALUE : reached90);
        end = Math.min(end, samples.get(samples.size() - 1).nanos);
        long from = Math.min(first + warmup.toNanos(), first + (end - first) / 4);
        if (end <= from && firstIndex > 0) {
            // all of it came between two samples (a short backlog): the rate from the sample
            // before the first output (at the latest, this reader's start), a lower bound, rather
            // than none
            from = samples.get(firstIndex - 1).nanos;
        }
        double seconds = (end - from) / 1e9;
        double written = interpolate(end, true) - interpolate(from, true);
        double committedCount = interpolate(end, false) - interpolate(from, false);
        Sample last = samples.get(samples.size() - 1);
        double wholeSeconds = Double.NaN;
        double wholeRate = Double.NaN;
        if (whole) {
            wholeSeconds = (last.nanos - first) / 1e9;
            wholeRate = (last.written - firstWritten) / wholeSeconds;
            if (last.nanos == first && samples.size() > 1) {
                // all of it came between two samples: the rate from the sample before, a lower
                // bound
                Sample before = samples.get(samples.size() - 2);
                wholeSeconds = (last.nanos - before.nanos) / 1e9;
                wholeRate = (last.written - before.written) / wholeSeconds;
            }
        }
        return new Throughput(
                written / seconds,
                committedCount / seconds,
                seconds,
                Math.round(written),
                last.written,
                last.committed,
                (first - start) / 1e9,
                wholeRate,
                wholeSeconds);
    }

    /** Waits until at least {@code count} records are committed; returns the committed total. */
    public long awaitCommitted(long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Sample s;
        do {
            s = sample();
            if (s.committed >= count) {
                break;
            }
            Clock.sleep(50);
        } while (System.nanoTime() < deadline);
        return s.committed;
    }

    private Sample sample() {
        long w = BenchKafka.endOffsetSum(uncommitted, partitions) - writtenStart;
        long c = BenchKafka.endOffsetSum(committed, partitions) - committedStart;
        Sample s = new Sample(System.nanoTime(), w, c);
        samples.add(s);
        return s;
    }

    private long timeWhen(long written) {
        for (Sample s : samples) {
            if (s.written >= written) {
                return s.nanos;
            }
        }
        return -1;
    }

    /** The count at {@code nanos}, linear between the samples around it. */
    private double interpolate(long nanos, boolean writtenCount) {
        Sample before = samples.get(0);
        for (Sample s : samples) {
            if (s.nanos >= nanos) {
                long a = writtenCount ? before.written : before.committed;
                long b = writtenCount ? s.written : s.committed;
                if (s.nanos == before.nanos) {
                    return b;
                }
                return a + (b - a) * (double) (nanos - before.nanos) / (s.nanos - before.nanos);
            }
            before = s;
        }
        return writtenCount ? before.written : before.committed;
    }

    public void close() {
        uncommitted.close(Duration.ofSeconds(2));
        committed.close(Duration.ofSeconds(2));
    }
}
