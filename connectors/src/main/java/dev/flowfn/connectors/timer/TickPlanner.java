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
        // always walk forwards from the position: the schedule is the chain of next executions
        Scan due =
                scan(
                        schedule,
                        position,
                        now,
                        catchup == Catchup.LATEST ? 1 : maxCatchup,
                        onTimeFrom);
        if (due.instants.isEmpty()) {
            return new Plan(List.of(), due.dropped, due.lastConsidered);
        }
        Instant newest = due.instants.get(due.instants.size() - 1);
        return switch (catchup) {
            case ALL, LATEST -> new Plan(due.instants, due.dropped, newest);
            case NONE -> {
                List<Instant> onTime =
                        due.instants.stream().filter(t -> !t.isBefore(onTimeFrom)).toList();
                yield new Plan(onTime, due.dropped + due.instants.size() - onTime.size(), newest);
            }
        };
    }

    private record Scan(List<Instant> instants, long dropped, Instant lastConsidered) {}

    /**
     * Instants in (after, atOrBefore]: the newest {@code keep} of them, and how many were not kept.
     * After {@link #MAX_SCAN} steps the walk jumps to {@code jumpTo} (what lies between counts as
     * dropped, at least one).
     */
    private static Scan scan(
            CronSchedule schedule, Instant after, Instant atOrBefore, int keep, Instant jumpTo) {
        Deque<Instant> kept = new ArrayDeque<>();
        long dropped = 0;
        Instant cursor = after;
        int steps = 0;
        while (true) {
            if (++steps > MAX_SCAN && cursor.isBefore(jumpTo)) {
                dropped++;
                cursor = jumpTo.minusMillis(1);
                steps = 0;
            }
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
        return new Scan(new ArrayList<>(kept), dropped, cursor);
    }
}
