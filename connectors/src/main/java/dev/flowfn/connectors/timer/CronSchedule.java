package dev.flowfn.connectors.timer;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import dev.flowfn.schemas.CronExpressions;
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
        // one parser for the whole platform: the same rules as trigger-spec validation
        Cron cron = CronExpressions.parse(expr);
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

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
