package dev.flowfn.connectors.timer;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * One cron expression in one time zone, as cron-utils 9.2.1 defines it: 5 fields are UNIX cron
 * (minute precision), 6 or 7 fields are Quartz (seconds, optional year). Daylight-saving
 * transitions behave as cron-utils' {@link ExecutionTime} computes them in the zone: a wall-clock
 * time that does not exist (spring forward) and one that exists twice (fall back) follow its rules;
 * {@code CronScheduleTest} pins them for Europe/Berlin. Immutable and thread-safe.
 */
public final class CronSchedule {

    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser QUARTZ =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime executionTime;

    private CronSchedule(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.executionTime = ExecutionTime.forCron(cron);
    }

    /**
     * Parses {@code expression} (5 fields UNIX, 6/7 fields Quartz) in zone {@code tz} (null or
     * blank = UTC).
     *
     * @throws IllegalArgumentException naming the bad part and the fix
     */
    public static CronSchedule of(String expression, String tz) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException(
                    "cron expression is empty; write 5 fields (UNIX, e.g. */5 * * * *) or 6-7 fields"
                            + " (Quartz, e.g. 0 0 3 ? * MON)");
        }
        ZoneId zone;
        try {
            zone = tz == null || tz.isBlank() ? ZoneId.of("UTC") : ZoneId.of(tz.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "time zone '"
                            + tz
                            + "' is unknown; use an IANA zone such as Europe/Berlin or UTC");
        }
        String expr = expression.trim().replaceAll("\\s+", " ");
        int fields = expr.split(" ").length;
        CronParser parser;
        if (fields == 5) {
            parser = UNIX;
        } else if (fields == 6 || fields == 7) {
            parser = QUARTZ;
        } else {
            throw new IllegalArgumentException(
                    "cron expression '"
                            + expression
                            + "' has "
                            + fields
                            + " fields; write 5 (UNIX: minute hour day month weekday) or 6-7"
                            + " (Quartz: second minute hour day month weekday [year])");
        }
        Cron cron;
        try {
            cron = parser.parse(expr).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cron expression '"
                            + expression
                            + "' is not valid "
                            + (parser == UNIX ? "UNIX" : "Quartz")
                            + " cron: "
                            + e.getMessage()
                            + (parser == QUARTZ
                                    ? " (Quartz needs '?' in day-of-month or day-of-week)"
                                    : ""),
                    e);
        }
        return new CronSchedule(expr, zone, cron);
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first scheduled instant strictly after {@code after}, if the schedule has one. */
    public Optional<Instant> next(Instant after) {
        return executionTime.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(Instant::from);
    }

    /**
     * The last scheduled instant at or before {@code atOrBefore}. Found backwards with cron-utils,
     * then confirmed forwards (the forward computation is the reference): if they disagree, empty.
     */
    Optional<Instant> previous(Instant atOrBefore) {
        Optional<Instant> back =
                executionTime
                        .lastExecution(ZonedDateTime.ofInstant(atOrBefore.plusSeconds(1), zone))
                        .map(Instant::from);
        while (back.isPresent() && back.get().isAfter(atOrBefore)) {
            back =
                    executionTime
                            .lastExecution(ZonedDateTime.ofInstant(back.get(), zone))
                            .map(Instant::from);
        }
        if (back.isEmpty()) {
            return back;
        }
        Optional<Instant> confirm = next(back.get().minusMillis(1));
        if (confirm.isEmpty() || !confirm.get().equals(back.get())) {
            return Optional.empty();
        }
        Optional<Instant> after = next(back.get());
        return after.isPresent() && !after.get().isAfter(atOrBefore) ? Optional.empty() : back;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
