package dev.flowfn.connectors.timer;

import dev.flowfn.connectors.registry.RegistryFollower;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.Trigger;
import dev.flowfn.schemas.contract.EventIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the cron triggers of the functions in the registry: one {@code timer.tick} event per
 * scheduled instant on {@code flowfn.events}.
 *
 * <p>Delivery: the source partition is (function, trigger hash), the source offset the scheduled
 * instant last fired. Connect commits offsets after Kafka acknowledged the records, so after a
 * crash the ticks since the last commit are sent again, with the same ids; the job drops the
 * repeats. A trigger with no offset starts at its function's {@code deployedAt}: no tick before the
 * function existed.
 *
 * <p>Threads: Connect calls {@link #start}, {@link #poll} and {@link #stop}'s cleanup on the task
 * thread, except that {@link #stop} itself may be called from another thread while {@link #poll}
 * waits; it only sets a flag and wakes the waiting poll. The registry follower has its own thread
 * and hands out immutable snapshots.
 */
public final class TimerSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(TimerSourceTask.class);
    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);
    private static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);
    static final String OFFSET_SCHEDULED = "scheduled";

    private final Clock injectedClock;
    private final Object wake = new Object();
    private volatile boolean stopping;
    private TimerConfig config;
    private Clock clock;
    private RegistryFollower follower;
    private Map<String, FunctionSpec> seen;
    private final Map<TriggerKey, ScheduledTrigger> triggers = new HashMap<>();

    /** Functions that disappeared while this task ran: if they come back, it is a new function. */
    private final Set<String> deletedWhileRunning = new HashSet<>();

    /** (function, version, trigger hash) of bad triggers already dead-lettered. */
    private final Set<String> reported = new HashSet<>();

    private final List<SourceRecord> pendingDeadLetters = new ArrayList<>();

    /** What Connect instantiates: the clock comes from {@link TimerConfig#CLOCK_CLASS}. */
    public TimerSourceTask() {
        this(null);
    }

    /** For tests: every look at the time goes to {@code clock}. */
    public TimerSourceTask(Clock clock) {
        this.injectedClock = clock;
    }

    record TriggerKey(String function, String hash) {
        Map<String, String> partition() {
            return Map.of("function", function, "trigger", hash);
        }
    }

    /** One cron trigger of one function and where it stands. */
    private static final class ScheduledTrigger {
        final String text;
        final String expr;
        final String tz;
        final CronSchedule schedule;
        final Catchup catchup;
        Instant position;

        /** The first instant after the position; until then the trigger needs no planning. */
        Instant nextDue;

        ScheduledTrigger(Trigger t, CronSchedule schedule, Catchup catchup, Instant position) {
            this.text = t.getText();
            this.expr = t.getParams().get("expr");
            this.tz = t.getParams().getOrDefault("tz", "UTC");
            this.schedule = schedule;
            this.catchup = catchup;
            this.position = position;
        }
    }

    @Override
    public String version() {
        return TimerSourceConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new TimerConfig(props);
        clock = injectedClock != null ? injectedClock : config.clock();
        follower = RegistryFollower.start(config.kafka(), functions -> wakeUp());
        try {
            if (!follower.awaitCaughtUp(Duration.ofSeconds(60))) {
                throw new ConnectException(
                        "could not read "
                                + Topics.FUNCTIONS
                                + " from "
                                + config.bootstrapServers()
                                + " within 60 s; check "
                                + TimerConfig.BOOTSTRAP_SERVERS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reading the registry", e);
        }
        LOG.info(
                "timer task {}/{} started: {} functions in the registry",
                config.taskIndex() + 1,
                config.taskCount(),
                follower.functions().size());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (stopping) {
            return null;
        }
        follower.checkAlive();
        follow(follower.functions());
        Instant now = clock.instant();
        List<SourceRecord> out = new ArrayList<>(pendingDeadLetters);
        pendingDeadLetters.clear();
        Instant nextDue = null;
        for (Map.Entry<TriggerKey, ScheduledTrigger> e : triggers.entrySet()) {
            ScheduledTrigger t = e.getValue();
            if (t.nextDue != null && now.isBefore(t.nextDue)) { // nothing due: skip the planner
                nextDue = nextDue == null || t.nextDue.isBefore(nextDue) ? t.nextDue : nextDue;
                continue;
            }
            TickPlanner.Plan plan =
                    TickPlanner.plan(
                            t.schedule,
                            t.catchup,
                            t.position,
                            now,
                            config.misfireThreshold(),
                            config.catchupMax());
            if (plan.skipped() > 0) {
                LOG.info(
                        "timer {} '{}': {} missed ticks not fired (catchup={}, at most {})",
                        e.getKey().function(),
                        t.text,
                        plan.skipped(),
                        t.catchup.name().toLowerCase(java.util.Locale.ROOT),
                        config.catchupMax());
            }
            for (Instant scheduled : plan.fire()) {
                out.add(tickRecord(e.getKey(), t, scheduled, now));
            }
            t.position = plan.position();
            // the next instant after the position: due then, or at once if the clock jumps past it
            Optional<Instant> next = t.schedule.next(t.position);
            t.nextDue = next.orElse(Instant.MAX);
            if (next.isPresent() && (nextDue == null || next.get().isBefore(nextDue))) {
                nextDue = next.get();
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        Duration wait = config.pollInterval();
        if (nextDue != null) {
            Duration untilDue = Duration.between(clock.instant(), nextDue);
            if (untilDue.compareTo(wait) < 0) {
                wait = untilDue.isNegative() ? Duration.ZERO : untilDue;
            }
        }
        synchronized (wake) {
            if (!stopping && !wait.isZero()) {
                wake.wait(Math.max(1, wait.toMillis()));
            }
        }
        return null;
    }

    /** Brings {@link #triggers} in line with the registry (only when it changed). */
    private void follow(Map<String, FunctionSpec> functions) {
        if (functions == seen) {
            return;
        }
        if (seen != null) {
            for (String name : seen.keySet()) {
                if (!functions.containsKey(name)) {
                    deletedWhileRunning.add(name);
                }
            }
        }
        seen = functions;
        Set<TriggerKey> live = new HashSet<>();
        for (FunctionSpec spec : functions.values()) {
            if (!mine(spec.getName())) {
                continue;
            }
            for (Trigger t : spec.getTriggers()) {
                if (!"cron".equals(t.getKind())) {
                    continue;
                }
                TriggerKey key = new TriggerKey(spec.getName(), EventIds.triggerHash(t.getText()));
                live.add(key);
                if (!triggers.containsKey(key)) {
                    schedule(spec, t, key);
                }
            }
        }
        triggers.keySet()
                .removeIf(
                        k -> {
                            if (live.contains(k)) {
                                return false;
                            }
                            LOG.info("timer {}: trigger {} removed", k.function(), k.hash());
                            return true;
                        });
    }

    private void schedule(FunctionSpec spec, Trigger t, TriggerKey key) {
        CronSchedule schedule;
        Catchup catchup;
        try {
            schedule = CronSchedule.of(t.getParams().get("expr"), t.getParams().get("tz"));
            catchup = Catchup.parse(t.getParams().get("catchup"));
        } catch (IllegalArgumentException e) {
            reportBadTrigger(spec, t, key, e.getMessage());
            return;
        }
        Instant deployed = spec.getDeployedAt();
        Instant position = deployed;
        Map<String, Object> offset = context.offsetStorageReader().offset(key.partition());
        if (offset != null && offset.get(OFFSET_SCHEDULED) instanceof Number n) {
            Instant stored = Instant.ofEpochMilli(n.longValue());
            // a function deleted and deployed again while we ran starts anew at its deploy time
            position =
                    deletedWhileRunning.remove(spec.getName()) && stored.isBefore(deployed)
                            ? deployed
                            : stored;
        }
        triggers.put(key, new ScheduledTrigger(t, schedule, catchup, position));
        LOG.info(
                "timer {}: scheduled '{}' ({}, catchup={}) from {}",
                spec.getName(),
                t.getText(),
                schedule,
                catchup.name().toLowerCase(java.util.Locale.ROOT),
                position);
    }

    /**
     * A cron trigger the timer cannot run (spec validation should have refused it): logged and
     * dead-lettered once per function version, never a task failure.
     */
    private void reportBadTrigger(FunctionSpec spec, Trigger t, TriggerKey key, String reason) {
        String id = spec.getName() + "@" + spec.getVersion() + "/" + key.hash();
        if (!reported.add(id)) {
            return;
        }
        String message =
                "cron trigger '"
                        + t.getText()
                        + "' cannot be scheduled: "
                        + reason
                        + "; deploy the function again with a valid trigger";
        LOG.warn("timer {}: {}", spec.getName(), message);
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setFunction(spec.getName())
                        .setVersion(spec.getVersion())
                        .setKind(FailureKind.BAD_EVENT)
                        .setReason(message)
                        .setTime(clock.instant())
                        .build();
        pendingDeadLetters.add(
                new SourceRecord(
                        Map.of("function", spec.getName(), "trigger", key.hash(), "kind", "error"),
                        Map.of("version", spec.getVersion()),
                        Topics.DLQ,
                        null,
                        Schema.BYTES_SCHEMA,
                        spec.getName().getBytes(StandardCharsets.UTF_8),
                        Schema.BYTES_SCHEMA,
                        DEAD_LETTERS.encode(letter),
                        null));
    }

    private SourceRecord tickRecord(
            TriggerKey key, ScheduledTrigger t, Instant scheduled, Instant now) {
        Event tick = TickEvents.tick(key.function(), t.text, t.expr, t.tz, scheduled, now);
        return new SourceRecord(
                key.partition(),
                Map.of(OFFSET_SCHEDULED, scheduled.toEpochMilli()),
                config.topic(),
                null,
                Schema.BYTES_SCHEMA,
                key.function().getBytes(StandardCharsets.UTF_8),
                Schema.BYTES_SCHEMA,
                EVENTS.encode(tick),
                null); // Kafka's own time: brokers refuse record times far from theirs
    }

    private boolean mine(String function) {
        return Math.floorMod(function.hashCode(), config.taskCount()) == config.taskIndex();
    }

    private void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        wakeUp();
        RegistryFollower f = follower;
        if (f != null) {
            f.close();
        }
    }
}
