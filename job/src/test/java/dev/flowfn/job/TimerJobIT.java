package dev.flowfn.job;

import static dev.flowfn.job.JobTestPlatform.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.connectors.timer.TickEvents;
import dev.flowfn.connectors.timer.TimerConfig;
import dev.flowfn.connectors.timer.TimerSourceTask;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.testing.ConnectTaskRunner;
import dev.flowfn.testing.ConnectTaskRunner.OffsetStore;
import dev.flowfn.testing.MutableClock;
import dev.flowfn.testing.TestJars;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timer ticks through the real job: the connector's task (simulated clock) feeds flowfn.events, the
 * job on a MiniCluster runs the function, and a read_committed reader counts the results. The
 * connector is killed with offsets it never flushed (it sends ticks again) and the TaskManager is
 * killed (the job restores from a checkpoint) in the middle: still one result per instant.
 */
class TimerJobIT {

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
        platform.flink.terminateTaskManager(0); // and the job loses its TaskManager
        platform.flink.startTaskManager();
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
                                        TickEvents.id(
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
}
