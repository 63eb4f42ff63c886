package dev.flowfn.job;

import static dev.flowfn.job.JobTestPlatform.text;
import static dev.flowfn.job.JobTestPlatform.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.examples.hello.Upper;
import dev.flowfn.job.testfns.KeyedEcho;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.testing.TestJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record on a trigger topic yields exactly one committed result, across a TaskManager crash;
 * and one key's invocations keep their order across it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExactlyOnceIT {

    static final int RECORDS = 10_000;

    @TempDir static Path dir;
    static JobTestPlatform platform;

    /** When the last crash began (epoch millis): a transaction from before it is of a dead task. */
    static long lastCrash;

    @BeforeAll
    static void start() throws Exception {
        platform = JobTestPlatform.start(dir, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void tenThousandRecordsYieldTenThousandResultsEvenWhenTheTaskManagerDies() throws Exception {
        byte[] jar = TestJars.containing(Upper.class);
        platform.kafka.createTopic("words", 2);
        platform.kafka.createTopic("words-crash", 2);
        platform.deploy(
                JobTestPlatform.spec("upper", 1, Upper.class, jar, "kafka:topic=words").build(),
                jar);
        platform.deploy(
                JobTestPlatform.spec("upper-crash", 1, Upper.class, jar, "kafka:topic=words-crash")
                        .build(),
                jar);
        Thread.sleep(1_000); // the registry reaches the matcher before the first record

        // 1. no failure
        produce("words", RECORDS, 0);
        assertExactlyOnce(platform.results(RECORDS, Duration.ofSeconds(90)), "upper");

        // 2. the TaskManager running every task is killed while records are still coming in
        AtomicInteger sent = new AtomicInteger();
        Thread producer =
                new Thread(
                        () -> {
                            try {
                                produce(
                                        "words-crash",
                                        RECORDS,
                                        1,
                                        sent); // ~1 ms apart: several seconds of traffic
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        producer.start();
        while (sent.get() < RECORDS / 3) {
            Thread.sleep(20);
        }
        lastCrash = System.currentTimeMillis();
        platform.flink.crashTaskManager();
        producer.join();

        List<InvocationResult> all = platform.results(2 * RECORDS, Duration.ofSeconds(120));
        assertExactlyOnce(all, "upper-crash");
        assertThat(platform.flink.restarts(platform.job))
                .as("the job restarted from a checkpoint")
                .isPositive();
    }

    /**
     * A backlog of four keys, each invocation 20 ms, so that every checkpoint holds hundreds of
     * each key's invocations in flight; the TaskManager dies once a part is out. Flink hands the
     * in-flight invocations back in hash order; each key's outputs must still come in input order,
     * each once.
     */
    @Test
    @Order(2)
    void eachKeysInvocationsKeepTheirOrderAcrossATaskManagerCrash() throws Exception {
        int keys = 4;
        int perKey = 400;
        byte[] jar = TestJars.containing(KeyedEcho.class);
        platform.kafka.createTopic("ordered", 2);
        platform.kafka.createTopic("ordered-out", 2);
        platform.deploy(
                JobTestPlatform.spec("keyed-echo", 1, KeyedEcho.class, jar, "kafka:topic=ordered")
                        .setEnv(Map.of("TOPIC", "ordered-out", "SLEEP_MS", "20"))
                        .build(),
                jar);
        Thread.sleep(1_000); // the registry reaches the matcher before the first record
        try (KafkaProducer<byte[], byte[]> producer = platform.kafka.producer()) {
            for (int i = 0; i < perKey; i++) {
                for (int k = 0; k < keys; k++) {
                    producer.send(
                            new ProducerRecord<>(
                                    "ordered", utf8("key-" + k), utf8("key-" + k + ":" + i)));
                }
            }
        }
        platform.kafka.readCommitted(
                "ordered-out", keys * perKey / 5, Duration.ofSeconds(60), Duration.ZERO);
        long restarts = platform.flink.restarts(platform.job);
        lastCrash = System.currentTimeMillis();
        platform.flink.crashTaskManager();

        List<String> out =
                platform
                        .kafka
                        .readCommitted(
                                "ordered-out",
                                keys * perKey,
                                Duration.ofSeconds(120),
                                Duration.ofSeconds(2))
                        .stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .toList();
        Map<String, List<Integer>> byKey =
                out.stream()
                        .collect(
                                Collectors.groupingBy(
                                        v -> v.substring(0, v.indexOf(':')),
                                        Collectors.mapping(
                                                v ->
                                                        Integer.parseInt(
                                                                v.substring(v.indexOf(':') + 1)),
                                                Collectors.toList())));
        List<Integer> inOrder = IntStream.range(0, perKey).boxed().toList();
        assertThat(byKey).hasSize(keys);
        byKey.forEach((key, seen) -> assertThat(seen).as(key).isEqualTo(inOrder));
        assertThat(platform.flink.restarts(platform.job))
                .as("the job restarted from a checkpoint")
                .isGreaterThan(restarts);
    }

    /**
     * After both crashes, no transaction of the crashed tasks stays open: the restore ended each
     * one (committed what was checkpointed, aborted the rest). One left open would hold back every
     * {@code read_committed} reader of its partitions (results, metering) until it timed out.
     */
    @Test
    @Order(3)
    void noTransactionOfACrashedTaskStaysOpen() throws Exception {
        Thread.sleep(3_000); // several checkpoints of the restored job: a commit retried has run
        String prefix = JobOptions.TRANSACTIONAL_ID_PREFIX.defaultValue();
        try (Admin admin = platform.kafka.admin()) {
            List<String> open =
                    admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                            .filter(t -> t.state() == TransactionState.ONGOING)
                            .map(TransactionListing::transactionalId)
                            .filter(id -> id.startsWith(prefix))
                            .toList();
            Map<String, Instant> startedBeforeTheCrash = new TreeMap<>();
            admin.describeTransactions(open)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach(
                            (id, t) -> {
                                long start = t.transactionStartTimeMs().orElse(Long.MAX_VALUE);
                                if (start < lastCrash) {
                                    startedBeforeTheCrash.put(id, Instant.ofEpochMilli(start));
                                }
                            });
            assertThat(startedBeforeTheCrash)
                    .as(
                            "transactions open now that began before the crash at %s",
                            Instant.ofEpochMilli(lastCrash))
                    .isEmpty();
        }
    }

    private static void assertExactlyOnce(List<InvocationResult> all, String function) {
        List<InvocationResult> mine =
                all.stream().filter(r -> r.getFunction().equals(function)).toList();
        Map<String, Long> perInvocation =
                mine.stream()
                        .collect(
                                Collectors.groupingBy(
                                        InvocationResult::getInvocationId, Collectors.counting()));
        assertThat(perInvocation.values())
                .as("no invocation has two results")
                .allMatch(n -> n == 1);
        assertThat(mine).as("one result per record").hasSize(RECORDS);
        Map<String, String> byInput =
                mine.stream()
                        .collect(
                                Collectors.toMap(
                                        InvocationResult::getInvocationId,
                                        r -> text(r.getData()),
                                        (a, b) -> a));
        assertThat(mine).allMatch(InvocationResult::getSuccess);
        // each result is the upper-cased input: "w-<n>" became "W-<n>", every n once
        assertThat(
                        byInput.values().stream()
                                .map(s -> s.substring(2))
                                .map(Integer::parseInt)
                                .collect(Collectors.toSet()))
                .hasSize(RECORDS)
                .allMatch(n -> n >= 0 && n < RECORDS);
        assertThat(byInput.values()).allMatch(s -> s.startsWith("W-"));
    }

    private static void produce(String topic, int count, long pauseMillis) throws Exception {
        produce(topic, count, pauseMillis, new AtomicInteger());
    }

    private static void produce(String topic, int count, long pauseMillis, AtomicInteger sent)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = platform.kafka.producer()) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, utf8("k" + (i % 97)), utf8("w-" + i)));
                sent.incrementAndGet();
                if (pauseMillis > 0 && i % 10 == 0) {
                    producer.flush();
                    Thread.sleep(pauseMillis * 10);
                }
            }
            producer.flush();
        }
    }
}
