package dev.flowfn.bench;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.BenchKafka;
import dev.flowfn.bench.infra.BenchTopology;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Functions;
import dev.flowfn.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Scenario 13: the downtime of {@code flowfn scale} on a real multi-process cluster. {@code flowfn
 * topology} (session mode: a JobManager and 2 TaskManagers of 2 slots) runs the job at parallelism
 * 2 while {@value #RATE} no-op events a second flow; {@code flowfn scale} takes it to 4 and back to
 * 2, run as an operator runs it. A reader polls the results topic (read_uncommitted, so it sees a
 * result when the sink writes it, not when its checkpoint commits) and notes when each arrives.
 * Downtime is the longest time without a result from the command's start until results flow again:
 * the old job stops writing at its savepoint, and the first result of the new job ends it. The
 * baseline is the longest such gap over the same steady flow before the first rescale.
 */
final class RescaleScenario {

    private static final String TOPIC = "bench.rescale";
    private static final int PARTITIONS = 4;
    private static final int RATE = 200;

    private final Profile profile;
    private final Path home;
    private final Path work;

    RescaleScenario(Profile profile, Path home, Path work) {
        this.profile = profile;
        this.home = home;
        this.work = work;
    }

    void run(Report report) throws Exception {
        Report.Scenario s =
                report.scenario(13, "Rescale downtime (flowfn scale)").runtime(Functions.EMBEDDED);
        Path dir = work.resolve("rescale-topology");
        try (BenchTopology topology =
                        BenchTopology.start(
                                home,
                                dir,
                                List.of(
                                        "--brokers",
                                        "1",
                                        "--taskmanagers",
                                        "2",
                                        "--slots",
                                        "2",
                                        "--parallelism",
                                        "2",
                                        "--connect-workers",
                                        "1",
                                        "--servers",
                                        "1",
                                        "--checkpoint-interval",
                                        profile.checkpointInterval().toMillis() + "ms"));
                Functions functions =
                        new Functions(topology.kafka(), work.resolve("rescale-fns"))) {
            BenchKafka kafka = topology.kafka();
            Map<String, String> env = topology.s3Environment();
            topology.createTopic(TOPIC, PARTITIONS);
            functions.deploy(functions.spec("rescale", Noop.class, TOPIC));
            functions.awaitReady(Duration.ofMinutes(3));
            Duration steady = profile.throughputMeasure();
            try (Arrivals arrivals = new Arrivals(kafka);
                    Flow flow = new Flow(kafka)) {
                arrivals.awaitFlowing(Duration.ofMinutes(2));
                Thread.sleep(steady.toMillis());
                long steadyEnd = System.nanoTime();
                double baseline = arrivals.longestGapMs(steadyEnd - steady.toNanos(), steadyEnd);
                List<Rescale> rescales = new ArrayList<>();
                for (int parallelism : new int[] {4, 2}) {
                    long t0 = System.nanoTime();
                    topology.process()
                            .command(
                                    List.of(
                                            "scale",
                                            "--flink",
                                            topology.endpoint("flink.rest"),
                                            "--parallelism",
                                            Integer.toString(parallelism),
                                            "--kafka",
                                            kafka.bootstrap()),
                                    env,
                                    Duration.ofMinutes(5));
                    long t1 = System.nanoTime();
                    arrivals.awaitArrivalAfter(t1, Duration.ofMinutes(2));
                    Thread.sleep(2_000);
                    rescales.add(
                            new Rescale(
                                    parallelism,
                                    arrivals.longestGapMs(t0, System.nanoTime()),
                                    (t1 - t0) / 1e6));
                }
                for (Rescale r : rescales) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("eventsPerSecond", RATE);
                    d.put("scaleCommandMs", Math.round(r.commandMs));
                    d.put("steadyWindowSeconds", steady.toSeconds());
                    s.row(
                            new Report.Row(
                                    "flowfn scale to parallelism "
                                            + r.parallelism
                                            + ": downtime, the old job's last result before"
                                            + " its savepoint -> the new job's first result",
                                    r.gapMs,
                                    baseline,
                                    "ms",
                                    "the longest time between two results over "
                                            + steady.toSeconds()
                                            + " s of the same flow before rescaling",
                                    "none set",
                                    null,
                                    d,
                                    String.format(
                                            "%d no-op events/s; the command took %.1f s"
                                                    + " (its checks, stop-with-savepoint,"
                                                    + " resubmit, wait until the new job"
                                                    + " runs)",
                                            RATE, r.commandMs / 1000)));
                }
            }
        }
    }

    private record Rescale(int parallelism, double gapMs, double commandMs) {}

    /** {@value #RATE} events a second on {@link #TOPIC}, 100 keys, until closed. */
    private static final class Flow implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Flow(BenchKafka kafka) {
            KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of());
            thread =
                    new Thread(
                            () -> {
                                try (producer) {
                                    Events.paced(
                                            producer,
                                            TOPIC,
                                            RATE,
                                            Long.MAX_VALUE / 2000,
                                            100,
                                            stop);
                                }
                            },
                            "bench-rescale-flow");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
        }
    }

    /** Notes the time (nanoTime) of every poll of the results topic that returned results. */
    private static final class Arrivals implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Long> times = new ArrayList<>();
        private final Thread thread;

        Arrivals(BenchKafka kafka) {
            KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(false);
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(Topics.RESULTS)) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread =
                    new Thread(
                            () -> {
                                try (consumer) {
                                    while (!stop.get()) {
                                        ConsumerRecords<byte[], byte[]> records =
                                                consumer.poll(Duration.ofMillis(5));
                                        if (!records.isEmpty()) {
                                            long now = System.nanoTime();
                                            synchronized (times) {
                                                times.add(now);
                                            }
                                        }
                                    }
                                }
                            },
                            "bench-rescale-arrivals");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitFlowing(Duration timeout) throws InterruptedException {
            awaitArrivalAfter(System.nanoTime(), timeout);
        }

        void awaitArrivalAfter(long nanos, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                synchronized (times) {
                    if (!times.isEmpty() && times.get(times.size() - 1) > nanos) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "no result arrived within " + timeout.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        }

        /**
         * The longest time without a result between {@code from} and {@code to}, counting from the
         * last arrival before {@code from}.
         */
        double longestGapMs(long from, long to) {
            synchronized (times) {
                long longest = 0;
                Long previous = null;
                for (long t : times) {
                    if (t > to) {
                        break;
                    }
                    if (t >= from && previous != null) {
                        longest = Math.max(longest, t - previous);
                    }
                    previous = t;
                }
                return longest / 1e6;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
        }
    }
}
