package dev.flowfn.job;

import static dev.flowfn.job.JobTestPlatform.spec;
import static dev.flowfn.job.JobTestPlatform.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.job.testfns.Sleepy;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationRecord;
import dev.flowfn.schemas.MeterWindow;
import dev.flowfn.schemas.Topics;
import dev.flowfn.testing.TestJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metering totals equal the per-attempt records, to the millisecond, across a TaskManager crash.
 */
class MeteringIT {

    static final int RECORDS = 20_000;
    static final List<String> FUNCTIONS = List.of("sleep-1", "sleep-2", "sleep-3");
    static final AvroCodec<InvocationRecord> RECORD_CODEC = AvroCodec.of(InvocationRecord.class);
    static final AvroCodec<MeterWindow> WINDOW_CODEC = AvroCodec.of(MeterWindow.class);

    @TempDir static Path dir;
    static JobTestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform =
                JobTestPlatform.start(
                        dir,
                        Duration.ofSeconds(30),
                        conf -> {
                            conf.set(JobOptions.METERING_WINDOW, Duration.ofSeconds(2));
                            conf.set(JobOptions.METERING_ALLOWED_LATENESS, Duration.ofSeconds(5));
                            conf.set(JobOptions.METERING_MAX_DELAY, Duration.ofMillis(500));
                            conf.set(JobOptions.PUBLISH_INVOCATIONS, true);
                        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void meteringEqualsTheSumOfAttemptsAcrossACrash() throws Exception {
        byte[] jar = TestJars.of(Sleepy.class);
        for (int i = 0; i < FUNCTIONS.size(); i++) {
            String name = FUNCTIONS.get(i);
            platform.kafka.createTopic(name + "-in", 2);
            platform.deploy(
                    spec(name, 1, Sleepy.class, jar, "kafka:topic=" + name + "-in")
                            .setMemoryMb(128 * (i + 1))
                            .setMaxConcurrency(32)
                            .setEnv(Map.of("SLEEP_MS", Integer.toString(i + 1)))
                            .build(),
                    jar);
        }
        Thread.sleep(1_000);

        AtomicInteger sent = new AtomicInteger();
        Thread producer =
                new Thread(
                        () -> {
                            try (KafkaProducer<byte[], byte[]> p = platform.kafka.producer()) {
                                for (int i = 0; i < RECORDS; i++) {
                                    p.send(
                                            new ProducerRecord<>(
                                                    FUNCTIONS.get(i % 3) + "-in",
                                                    utf8("k" + i % 101),
                                                    utf8("r" + i)));
                                    if (sent.incrementAndGet() % 50 == 0) {
                                        p.flush();
                                        Thread.sleep(5);
                                    }
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        producer.start();
        while (sent.get() < RECORDS / 3) {
            Thread.sleep(20);
        }
        platform.flink.crashTaskManager();
        producer.join();

        assertThat(platform.results(RECORDS, Duration.ofSeconds(180))).hasSize(RECORDS);
        assertThat(platform.flink.restarts(platform.job)).isPositive();
        Thread.sleep(2_000 + 500 + 3_000); // the last window closes and its checkpoint commits

        Map<String, long[]> fromRecords = new HashMap<>(); // count, billed ms, MB x ms
        for (ConsumerRecord<byte[], byte[]> r :
                platform.kafka.readCommitted(
                        Topics.INVOCATIONS,
                        RECORDS,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2))) {
            InvocationRecord rec = RECORD_CODEC.decode(r.value());
            long[] sums = fromRecords.computeIfAbsent(rec.getFunction(), f -> new long[3]);
            sums[0]++;
            sums[1] += rec.getBilledMs();
            sums[2] += rec.getBilledMs() * rec.getMemoryMb();
            assertThat(rec.getBilledMs()).isGreaterThanOrEqualTo(1);
        }
        Map<String, MeterWindow> latestRevision = new HashMap<>();
        Map<String, long[]> fromWindows = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                platform.kafka.readCommitted(
                        Topics.METERING, 1, Duration.ofSeconds(30), Duration.ofSeconds(2))) {
            MeterWindow w = WINDOW_CODEC.decode(r.value());
            if (w.getLate()) {
                add(fromWindows, w);
            } else {
                latestRevision.merge(
                        w.getFunction() + "@" + w.getVersion() + "@" + w.getWindowStart(),
                        w,
                        (a, b) -> b.getRevision() > a.getRevision() ? b : a);
            }
        }
        latestRevision.values().forEach(w -> add(fromWindows, w));

        assertThat(fromRecords.keySet()).containsExactlyInAnyOrderElementsOf(FUNCTIONS);
        long attempts = fromRecords.values().stream().mapToLong(s -> s[0]).sum();
        assertThat(attempts)
                .as("one attempt per record: every handler succeeds")
                .isEqualTo(RECORDS);
        for (String f : FUNCTIONS) {
            assertThat(fromWindows.get(f))
                    .as(f + ": invocations, billed ms, MB x ms")
                    .containsExactly(fromRecords.get(f));
        }
    }

    private static void add(Map<String, long[]> sums, MeterWindow w) {
        long[] s = sums.computeIfAbsent(w.getFunction(), f -> new long[3]);
        s[0] += w.getInvocations();
        s[1] += w.getBilledMs();
        s[2] += w.getMbMs();
    }
}
