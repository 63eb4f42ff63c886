package dev.flowfn.connectors.timer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.TriggerSpecs;
import dev.flowfn.schemas.contract.EventIds;
import dev.flowfn.schemas.contract.EventTypes;
import dev.flowfn.testing.ConnectTaskRunner;
import dev.flowfn.testing.ConnectTaskRunner.OffsetStore;
import dev.flowfn.testing.KafkaTestCluster;
import dev.flowfn.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The timer connector's task driven like a Connect worker drives it, against a real Kafka, with a
 * simulated clock: two hours pass in seconds.
 */
class TimerConnectorIT {

    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);
    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration STEP = Duration.ofSeconds(20);

    private static KafkaTestCluster kafka;

    /** Functions a test deployed: deleted after it, so later tests' tasks do not schedule them. */
    private final Set<String> deployed = new java.util.HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestCluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @AfterEach
    void undeploy() throws Exception {
        for (String name : deployed) {
            delete(name);
        }
    }

    private Map<String, String> props() {
        return Map.of(
                TimerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                TimerConfig.POLL_INTERVAL_MS, "5",
                TimerConfig.MISFIRE_THRESHOLD_MS, "10000");
    }

    private void deploy(String name, long version, Instant deployedAt, String... triggers)
            throws Exception {
        FunctionSpec spec =
                FunctionSpec.newBuilder()
                        .setName(name)
                        .setVersion(version)
                        .setHandler("dev.flowfn.examples.Tick")
                        .setCodeUri("s3://flowfn-code/" + name + ".jar")
                        .setCodeSha256("00".repeat(32))
                        .setRetry(RetryPolicy.newBuilder().build())
                        .setTriggers(Arrays.stream(triggers).map(TriggerSpecs::parse).toList())
                        .setDeployedAt(deployedAt)
                        .build();
        kafka.send(Topics.FUNCTIONS, utf8(name), SPECS.encode(spec));
        deployed.add(name);
    }

    private void delete(String name) throws Exception {
        kafka.send(Topics.FUNCTIONS, utf8(name), null);
    }

    /** Moves the clock forward in steps to {@code until}, letting the task fire at each step. */
    private static void run(ConnectTaskRunner runner, MutableClock clock, Instant until)
            throws Exception {
        run(runner, clock, until, STEP);
    }

    private static void run(
            ConnectTaskRunner runner, MutableClock clock, Instant until, Duration step)
            throws Exception {
        while (clock.instant().isBefore(until)) {
            Instant next = clock.instant().plus(step);
            clock.set(next.isAfter(until) ? until : next);
            runner.pollUntilIdle();
        }
    }

    /** Every tick event on flowfn.events for {@code function}, as written (repeats included). */
    private List<Event> ticks(String function, int expected) {
        return kafka
                .readCommitted(
                        Topics.EVENTS, expected, Duration.ofSeconds(20), Duration.ofMillis(500))
                .stream()
                .map(r -> EVENTS.decode(r.value()))
                .filter(e -> e.getType().equals(EventTypes.TIMER_TICK))
                .filter(e -> function.equals(e.getSubject()))
                .toList();
    }

    private static Set<Instant> minutes(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(m -> T0.plus(Duration.ofMinutes(m)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Instant> scheduled(List<Event> ticks) {
        return ticks.stream().map(Event::getTime).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyMinuteForTwoSimulatedHoursFiresExactly120Ticks() throws Exception {
        deploy("every-minute", 1, T0, "cron:expr=*/1 * * * *");
        MutableClock clock = new MutableClock(T0);
        try (ConnectTaskRunner runner =
                new ConnectTaskRunner(
                        kafka, new TimerSourceTask(clock), props(), new OffsetStore())) {
            run(runner, clock, T0.plus(Duration.ofHours(2)));
        }
        List<Event> ticks = ticks("every-minute", 120);
        assertThat(ticks).hasSize(120);
        assertThat(scheduled(ticks)).isEqualTo(minutes(1, 120));
        Event first = ticks.get(0);
        assertThat(first.getId())
                .isEqualTo(
                        "timer:every-minute/"
                                + EventIds.triggerHash("cron:expr=*/1 * * * *")
                                + "/"
                                + T0.plusSeconds(60).toEpochMilli());
        assertThat(first.getSource()).isEqualTo("flowfn://timer");
        assertThat(first.getSourceIdentity()).as("a tick's id is its schedule's").isTrue();
        assertThat(first.getExtensions())
                .containsEntry("flowfntimer", "every-minute")
                .containsEntry("timertrigger", "cron:expr=*/1 * * * *");
        assertThat(new String(first.getData().array(), StandardCharsets.UTF_8))
                .contains("\"scheduledTime\":\"2026-11-24T10:01:00Z\"")
                .contains("\"tz\":\"UTC\"");
    }

    @Test
    void aCrashInTheMiddleRepeatsTicksButNoInstantIsLostOrNew() throws Exception {
        deploy("crashy", 1, T0, "cron:expr=*/1 * * * *,catchup=all");
        MutableClock clock = new MutableClock(T0);
        OffsetStore store = new OffsetStore();
        ConnectTaskRunner first =
                new ConnectTaskRunner(kafka, new TimerSourceTask(clock), props(), store);
        run(first, clock, T0.plus(Duration.ofMinutes(50)));
        first.flushOffsets(); // the worker's last offset flush: minute 50
        run(first, clock, T0.plus(Duration.ofMinutes(63)).plusSeconds(30));
        first.crash(); // minutes 51..63 were sent, but their offsets never flushed
        long beforeCrash = first.sent();
        try (ConnectTaskRunner second =
                new ConnectTaskRunner(kafka, new TimerSourceTask(clock), props(), store)) {
            run(second, clock, T0.plus(Duration.ofHours(2)));
        }
        List<Event> ticks = ticks("crashy", 133);
        assertThat(beforeCrash).isEqualTo(63);
        assertThat(ticks).as("raw ticks: 120 plus the 13 sent again").hasSize(133);
        Set<String> ids = ticks.stream().map(Event::getId).collect(Collectors.toSet());
        assertThat(ids).as("distinct tick ids: what the job's dedup keeps").hasSize(120);
        assertThat(scheduled(ticks)).isEqualTo(minutes(1, 120));
    }

    @Test
    void afterAThirtyMinuteOutageEachCatchupPolicyFiresWhatItSays() throws Exception {
        deploy("catch-all", 1, T0, "cron:expr=*/1 * * * *,catchup=all");
        deploy("catch-latest", 1, T0, "cron:expr=*/1 * * * *,catchup=latest");
        deploy("catch-none", 1, T0, "cron:expr=*/1 * * * *,catchup=none");
        MutableClock clock = new MutableClock(T0);
        OffsetStore store = new OffsetStore();
        try (ConnectTaskRunner before =
                new ConnectTaskRunner(kafka, new TimerSourceTask(clock), props(), store)) {
            run(before, clock, T0.plus(Duration.ofMinutes(60)));
        }
        // down from 60:00 to 90:30: ticks 61..90 are missed (more than 10 s late)
        clock.set(T0.plus(Duration.ofMinutes(90)).plusSeconds(30));
        try (ConnectTaskRunner after =
                new ConnectTaskRunner(kafka, new TimerSourceTask(clock), props(), store)) {
            after.pollUntilIdle();
            run(after, clock, T0.plus(Duration.ofHours(2)));
        }
        List<Event> all = ticks("catch-all", 120);
        assertThat(all).hasSize(120);
        assertThat(scheduled(all)).isEqualTo(minutes(1, 120));

        List<Event> latest = ticks("catch-latest", 91);
        assertThat(latest).hasSize(91);
        Set<Instant> expectLatest = minutes(1, 60);
        expectLatest.add(T0.plus(Duration.ofMinutes(90)));
        expectLatest.addAll(minutes(91, 120));
        assertThat(scheduled(latest)).isEqualTo(expectLatest);

        List<Event> none = ticks("catch-none", 90);
        assertThat(none).hasSize(90);
        Set<Instant> expectNone = minutes(1, 60);
        expectNone.addAll(minutes(91, 120));
        assertThat(scheduled(none)).isEqualTo(expectNone);
    }

    @Test
    void theScheduleFollowsDeploysUpdatesAndDeletesWithoutRestart() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (ConnectTaskRunner runner =
                new ConnectTaskRunner(
                        kafka, new TimerSourceTask(clock), props(), new OffsetStore())) {
            runner.pollUntilIdle();
            deploy("follows", 1, T0, "cron:expr=*/1 * * * *");
            runner.idleFor(Duration.ofMillis(1500));
            run(runner, clock, T0.plus(Duration.ofMinutes(10)).plusSeconds(30));
            deploy("follows", 2, clock.instant(), "cron:expr=*/5 * * * *");
            runner.idleFor(Duration.ofMillis(1500));
            run(runner, clock, T0.plus(Duration.ofMinutes(30)).plusSeconds(30));
            delete("follows");
            runner.idleFor(Duration.ofMillis(1500));
            run(runner, clock, T0.plus(Duration.ofMinutes(40)).plusSeconds(30));
            deploy("follows", 1, clock.instant(), "cron:expr=*/10 * * * *");
            runner.idleFor(Duration.ofMillis(1500));
            run(runner, clock, T0.plus(Duration.ofMinutes(60)));
        }
        Set<Instant> expected = minutes(1, 10); // */1 until the update at 10:30
        expected.addAll(Set.of(min(15), min(20), min(25), min(30))); // */5 until the delete
        expected.addAll(Set.of(min(50), min(60))); // */10 from the new deploy at 40:30
        List<Event> ticks = ticks("follows", expected.size());
        assertThat(scheduled(ticks)).isEqualTo(expected);
        assertThat(ticks).hasSize(expected.size());
    }

    @Test
    void berlinDaylightSavingTransitionsFireAsCronUtilsDefines() throws Exception {
        // fall back: the local day 2026-10-25 has 25 hours, 02:00-02:59 twice
        Instant fallDay = ZonedDateTime.parse("2026-10-25T00:00+02:00[Europe/Berlin]").toInstant();
        deploy(
                "berlin",
                1,
                fallDay.minusSeconds(1),
                "cron:expr=0 * * * *,tz=Europe/Berlin",
                "cron:expr=30 2 * * *,tz=Europe/Berlin");
        MutableClock clock = new MutableClock(fallDay.minusSeconds(1));
        try (ConnectTaskRunner runner =
                new ConnectTaskRunner(
                        kafka, new TimerSourceTask(clock), props(), new OffsetStore())) {
            run(
                    runner,
                    clock,
                    fallDay.plus(Duration.ofHours(25)).minusSeconds(1),
                    Duration.ofMinutes(5));
        }
        List<Event> fall = ticks("berlin", 26);
        Map<String, List<Event>> byTrigger =
                fall.stream()
                        .collect(Collectors.groupingBy(e -> e.getExtensions().get("timertrigger")));
        assertThat(byTrigger.get("cron:expr=0 * * * *,tz=Europe/Berlin")).hasSize(25);
        assertThat(scheduled(byTrigger.get("cron:expr=30 2 * * *,tz=Europe/Berlin")))
                .containsExactly(
                        ZonedDateTime.parse("2026-10-25T02:30+02:00[Europe/Berlin]").toInstant());

        // spring forward: the local day 2026-03-29 has 23 hours and no 02:30
        Instant springDay =
                ZonedDateTime.parse("2026-03-29T00:00+01:00[Europe/Berlin]").toInstant();
        deploy(
                "berlin-spring",
                1,
                springDay.minusSeconds(1),
                "cron:expr=0 * * * *,tz=Europe/Berlin",
                "cron:expr=30 2 * * *,tz=Europe/Berlin");
        MutableClock spring = new MutableClock(springDay.minusSeconds(1));
        try (ConnectTaskRunner runner =
                new ConnectTaskRunner(
                        kafka, new TimerSourceTask(spring), props(), new OffsetStore())) {
            run(
                    runner,
                    spring,
                    springDay.plus(Duration.ofHours(23)).minusSeconds(1),
                    Duration.ofMinutes(5));
        }
        List<Event> springTicks = ticks("berlin-spring", 23);
        assertThat(springTicks).hasSize(23);
        assertThat(springTicks)
                .allMatch(
                        e ->
                                e.getExtensions()
                                        .get("timertrigger")
                                        .equals("cron:expr=0 * * * *,tz=Europe/Berlin"));
    }

    private static Instant min(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
