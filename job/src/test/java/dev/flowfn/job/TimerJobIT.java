package dev.flowfn.job;

import static dev.flowfn.job.JobTestPlatform.spec;
import static dev.flowfn.job.JobTestPlatform.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.connectors.timer.TimerConfig;
import dev.flowfn.connectors.timer.TimerSourceTask;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.job.testfns.SlowBatch;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.contract.EventIds;
import dev.flowfn.testing.ConnectTaskRunner;
import dev.flowfn.testing.ConnectTaskRunner.OffsetStore;
import dev.flowfn.testing.MutableClock;
import dev.flowfn.testing.TestJars;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timer ticks and long-running handlers through the real job (one platform for both).
 *
 * <p>Timer ticks: the connector's task (simulated clock) feeds flowfn.events, the job on a
 * MiniCluster runs the function, and a read_committed reader counts the results. The connector is
 * killed with offsets it never flushed (it sends ticks again) and the TaskManager is killed (the
 * job restores from a checkpoint) in the middle: still one result per instant.
 */
class TimerJobIT {

    private static final AvroCodec<LogRecord> LOGS = AvroCodec.of(LogRecord.class);

    @TempDir static Path dir;
    static JobTestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = JobTestPlatform.start(dir, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void twoSimulatedHoursWithBothCrashesCommitExactly120Results() throws Exception {
        String trigger = "cron:expr=*/1 * * * *,catchup=all";
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        byte[] jar = TestJars.containing(Upper.class);
        platform.deploy(
                spec("ticker", 1, Upper.class, jar, trigger).setDeployedAt(t0).build(), jar);
        Thread.sleep(1_000); // the registry reaches the matcher first

        Map<String, String> props =
                Map.of(
                        TimerConfig.BOOTSTRAP_SERVERS,
                        platform.kafka.bootstrapServers(),
                        TimerConfig.POLL_INTERVAL_MS,
                        "5");
        MutableClock clock = new MutableClock(t0);
        OffsetStore store = new OffsetStore();
        ConnectTaskRunner first =
                new ConnectTaskRunner(platform.kafka, new TimerSourceTask(clock), props, store);
        run(first, clock, t0.plus(Duration.ofMinutes(50)));
        first.flushOffsets();
        run(first, clock, t0.plus(Duration.ofMinutes(63)).plusSeconds(30));
        first.crash(); // ticks 51..63 sent; their offsets lost: they will be sent again
        platform.flink.crashTaskManager(); // and the job loses its TaskManager
        try (ConnectTaskRunner second =
                new ConnectTaskRunner(platform.kafka, new TimerSourceTask(clock), props, store)) {
            run(second, clock, t0.plus(Duration.ofHours(2)));
            assertThat(first.sent() + second.sent()).as("raw ticks sent").isEqualTo(133);
        }

        List<InvocationResult> results =
                platform.results(120, Duration.ofSeconds(90)).stream()
                        .filter(r -> r.getFunction().equals("ticker"))
                        .toList();
        Set<String> expectedEvents =
                IntStream.rangeClosed(1, 120)
                        .mapToObj(
                                m ->
                                        EventIds.timerTick(
                                                "ticker", trigger, t0.plus(Duration.ofMinutes(m))))
                        .collect(Collectors.toSet());
        Map<String, Long> perEvent =
                results.stream()
                        .collect(
                                Collectors.groupingBy(
                                        InvocationResult::getEventId, Collectors.counting()));
        assertThat(perEvent.keySet()).isEqualTo(expectedEvents);
        assertThat(perEvent.values()).as("committed results per tick").allMatch(n -> n == 1);
        assertThat(results).hasSize(120).allMatch(InvocationResult::getSuccess);
        assertThat(platform.flink.restarts(platform.job))
                .as("the job restored from a checkpoint")
                .isPositive();
    }

    static void run(ConnectTaskRunner runner, MutableClock clock, Instant until) throws Exception {
        while (clock.instant().isBefore(until)) {
            Instant next = clock.instant().plusSeconds(20);
            clock.set(next.isAfter(until) ? until : next);
            runner.pollUntilIdle();
        }
    }

    @Test
    void aSlowBatchReportsProgressWhileOthersAndCheckpointsKeepGoing() throws Exception {
        byte[] batchJar = TestJars.containing(SlowBatch.class);
        byte[] upperJar = TestJars.containing(Upper.class);
        platform.deploy(
                spec("batch", 1, SlowBatch.class, batchJar)
                        .setTimeoutMs(Duration.ofHours(2).toMillis())
                        .setEnv(Map.of("STEPS", "20", "STEP_MS", "1000"))
                        .build(),
                batchJar);
        platform.deploy(spec("quick", 1, Upper.class, upperJar).build(), upperJar);
        Thread.sleep(1_000);

        platform.invoke("batch", "batch-1", "{}", 1);
        // progress is visible to a read_committed reader while the handler still runs
        LogRecord firstReport = awaitProgress("batch", Duration.ofSeconds(30));
        assertThat(firstReport.getMessage()).matches("\\[progress \\d+(\\.\\d)?%] step \\d+ of 20");
        assertThat(firstReport.getInvocationId()).isEqualTo("batch-1");
        assertThat(result("batch-1")).as("the batch is still running").isEmpty();

        long checkpointsBefore = completedCheckpoints();
        for (int i = 0; i < 5; i++) {
            platform.invoke("quick", "quick-" + i, "\"q" + i + "\"", 1);
            InvocationResult quick = awaitResult("quick-" + i, Duration.ofSeconds(20));
            assertThat(text(quick.getData())).isEqualTo("\"Q" + i + "\"");
        }
        long checkpointsDuring = completedCheckpoints();
        System.out.printf(
                "while the batch ran: 5 quick results committed, %d checkpoints completed%n",
                checkpointsDuring - checkpointsBefore);
        assertThat(result("batch-1"))
                .as("five quick results committed while the batch still ran")
                .isEmpty();
        assertThat(checkpointsDuring - checkpointsBefore)
                .as("checkpoints completed while the batch ran")
                .isGreaterThanOrEqualTo(3);

        InvocationResult batch = awaitResult("batch-1", Duration.ofSeconds(60));
        assertThat(batch.getSuccess()).isTrue();
        assertThat(text(batch.getData())).isEqualTo("done after 20 steps");
        assertThat(batch.getDurationMicros()).isGreaterThanOrEqualTo(20_000_000L);
        List<String> reports = progress("batch").stream().map(LogRecord::getMessage).toList();
        assertThat(reports).last().isEqualTo("[progress 100%] step 20 of 20");
        // the compacted flowfn.progress: the function's latest report under its name
        List<LogRecord> latest =
                platform
                        .kafka
                        .readCommitted(Topics.PROGRESS, 0, Duration.ZERO, Duration.ofMillis(300))
                        .stream()
                        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("batch"))
                        .map(r -> LOGS.decode(r.value()))
                        .toList();
        assertThat(latest).last().extracting(l -> l.getProgress().getFraction()).isEqualTo(1.0);
        assertThat(latest.get(latest.size() - 1).getProgress().getMessage())
                .isEqualTo("step 20 of 20");
    }

    private static Optional<InvocationResult> result(String invocation) {
        return platform
                .kafka
                .readCommitted(Topics.RESULTS, 0, Duration.ZERO, Duration.ofMillis(200))
                .stream()
                .map(r -> JobTestPlatform.RESULTS.decode(r.value()))
                .filter(r -> r.getInvocationId().equals(invocation))
                .findFirst();
    }

    private static InvocationResult awaitResult(String invocation, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<InvocationResult> r = result(invocation);
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no committed result for " + invocation + " within " + timeout);
    }

    private static List<LogRecord> progress(String function) {
        return platform
                .kafka
                .readCommitted(Topics.LOGS, 0, Duration.ZERO, Duration.ofMillis(300))
                .stream()
                .map(r -> LOGS.decode(r.value()))
                .filter(l -> l.getFunction().equals(function))
                .filter(l -> l.getProgress() != null)
                .toList();
    }

    private static LogRecord awaitProgress(String function, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<LogRecord> reports = progress(function);
            if (!reports.isEmpty()) {
                return reports.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no progress from " + function + " within " + timeout);
    }

    private static long completedCheckpoints() throws Exception {
        String url = platform.flink.restAddress() + "/jobs/" + platform.job + "/checkpoints";
        String body =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        Matcher m = Pattern.compile("\"completed\"\\s*:\\s*(\\d+)").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no checkpoint counts in " + body);
        }
        return Long.parseLong(m.group(1));
    }
}
