package dev.flowfn.connectors.timer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Decides which scheduled instants of one trigger fire now. Pure: no clock, no I/O.
 *
 * <p>The position is the last instant the trigger fired (or the time it was deployed, for a new
 * trigger). Every scheduled instant in {@code (position, now]} is due. A due instant at most {@code
 * misfireThreshold} old is on time and always fires; older ones were missed (Quartz calls that a
 * misfire) and the trigger's {@link Catchup} decides: {@code all} fires them oldest first, at most
 * {@code maxCatchup} (the newest ones; older ones are skipped and counted), {@code latest} fires
 * only the newest due instant, {@code none} fires only on-time instants.
 */
public final class TickPlanner {

    /** Forward scans never look at more instants than this (a guard against `* * * * * ?`). */
    static final int MAX_SCAN = 1_000_000;

    /**
     * What to fire now.
     *
     * @param fire instants to fire now, oldest first
     * @param skipped how many missed instants were not fired (at least; capped by the scan guard)
     * @param position the new position: the newest instant considered, fired or not
     */
    public record Plan(List<Instant> fire, long skipped, Instant position) {}

    private TickPlanner() {}

    public static Plan plan(
            CronSchedule schedule,
            Catchup catchup,
            Instant position,
            Instant now,
            Duration misfireThreshold,
            int maxCatchup) {
        if (!now.isAfter(position)) {
            return new Plan(List.of(), 0, position);
        }
        Instant onTimeFrom = now.minus(misfireThreshold);
        return switch (catchup) {
            case NONE -> {
                Instant from = position.isAfter(onTimeFrom) ? position : onTimeFrom;
                List<Instant> fire = scan(schedule, from, now, Integer.MAX_VALUE).instants;
                Optional<Instant> newest = newest(schedule, position, now);
                long missed = newest.isEmpty() ? 0 : count(schedule, position, from);
                yield new Plan(fire, missed, newest.orElse(position));
            }
            case LATEST -> {
                Optional<Instant> newest = newest(schedule, position, now);
                if (newest.isEmpty()) {
                    yield new Plan(List.of(), 0, position);
                }
                long older = count(schedule, position, newest.get().minusMillis(1));
                yield new Plan(List.of(newest.get()), older, newest.get());
            }
            case ALL -> {
                Scan scan = scan(schedule, position, now, maxCatchup);
                List<Instant> fire = scan.instants;
                Instant to = fire.isEmpty() ? position : fire.get(fire.size() - 1);
                yield new Plan(fire, scan.dropped, to);
            }
        };
    }

    /** The newest scheduled instant in (position, now]. */
    private static Optional<Instant> newest(CronSchedule schedule, Instant position, Instant now) {
        Optional<Instant> back = schedule.previous(now);
        if (back.isPresent()) {
            return back.get().isAfter(position) ? back : Optional.empty();
        }
        // cron-utils could not confirm a backward step: fall back to scanning forwards
        List<Instant> tail = scan(schedule, position, now, 1).instants;
        return tail.isEmpty() ? Optional.empty() : Optional.of(tail.get(0));
    }

    private static long count(CronSchedule schedule, Instant after, Instant atOrBefore) {
        Scan s = scan(schedule, after, atOrBefore, 0);
        return s.dropped;
    }

    private record Scan(List<Instant> instants, long dropped) {}

    /** Instants in (after, atOrBefore]: the newest {@code keep} of them, and how many were not. */
    private static Scan scan(CronSchedule schedule, Instant after, Instant atOrBefore, int keep) {
        Deque<Instant> kept = new ArrayDeque<>();
        long dropped = 0;
        Instant cursor = after;
        for (int i = 0; i < MAX_SCAN; i++) {
            Optional<Instant> next = schedule.next(cursor);
            if (next.isEmpty() || next.get().isAfter(atOrBefore)) {
                break;
            }
            cursor = next.get();
            kept.addLast(cursor);
            if (kept.size() > keep) {
                kept.removeFirst();
                dropped++;
            }
        }
        return new Scan(new ArrayList<>(kept), dropped);
    }
}
