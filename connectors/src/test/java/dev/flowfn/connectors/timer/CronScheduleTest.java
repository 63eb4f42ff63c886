package dev.flowfn.connectors.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final String BERLIN = "Europe/Berlin";

    /**
     * The next {@code n} instants after {@code from}, as zoned date-times in the schedule's zone.
     */
    private static List<String> next(String expr, String tz, String from, int n) {
        CronSchedule s = CronSchedule.of(expr, tz);
        Instant t = ZonedDateTime.parse(from).toInstant();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t = s.next(t).orElseThrow();
            out.add(ZonedDateTime.ofInstant(t, s.zone()).toOffsetDateTime().toString());
        }
        return out;
    }

    @Test
    void unixFiveFieldsEveryFiveMinutes() {
        assertThat(next("*/5 * * * *", "UTC", "2026-01-01T00:03:00Z", 3))
                .containsExactly("2026-01-01T00:05Z", "2026-01-01T00:10Z", "2026-01-01T00:15Z");
    }

    @Test
    void quartzSixAndSevenFields() {
        assertThat(next("30 0 12 ? * MON", "UTC", "2026-11-24T00:00:00Z", 2))
                .containsExactly("2026-11-30T12:00:30Z", "2026-12-07T12:00:30Z");
        assertThat(next("0 0 0 1 1 ? 2028", "UTC", "2026-11-24T00:00:00Z", 1))
                .containsExactly("2028-01-01T00:00Z");
        assertThat(
                        CronSchedule.of("0 0 0 1 1 ? 2028", "UTC")
                                .next(Instant.parse("2028-06-01T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void timeZoneShiftsTheInstants() {
        assertThat(next("0 9 * * *", "Asia/Shanghai", "2026-11-24T00:00:00Z", 1))
                .containsExactly("2026-11-24T09:00+08:00");
    }

    @Test
    void berlinSpringForwardSkipsTheMissingHour() {
        // 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:xx does not exist that day
        assertThat(next("0 * * * *", BERLIN, "2026-03-29T00:30+01:00", 3))
                .containsExactly(
                        "2026-03-29T01:00+01:00",
                        "2026-03-29T03:00+02:00",
                        "2026-03-29T04:00+02:00");
        // a daily job at the missing 02:30 does not run that day (as cron-utils defines it)
        assertThat(next("30 2 * * *", BERLIN, "2026-03-28T00:00+01:00", 2))
                .containsExactly("2026-03-28T02:30+01:00", "2026-03-30T02:30+02:00");
    }

    @Test
    void berlinFallBackRepeatsTheHourForHourlyButNotForDaily() {
        // 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:xx happens twice
        assertThat(next("0 * * * *", BERLIN, "2026-10-25T01:30+02:00", 3))
                .containsExactly(
                        "2026-10-25T02:00+02:00",
                        "2026-10-25T02:00+01:00",
                        "2026-10-25T03:00+01:00");
        assertThat(next("30 2 * * *", BERLIN, "2026-10-24T12:00+02:00", 2))
                .containsExactly("2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
    }

    @Test
    void badInputNamesTheFix() {
        assertThatThrownBy(() -> CronSchedule.of("* * *", "UTC"))
                .hasMessageContaining("has 3 fields")
                .hasMessageContaining("write 5 (UNIX");
        assertThatThrownBy(() -> CronSchedule.of("61 * * * *", "UTC"))
                .hasMessageContaining("not valid UNIX cron");
        assertThatThrownBy(() -> CronSchedule.of("0 0 12 * * MON", "UTC"))
                .hasMessageContaining("not valid Quartz cron");
        assertThatThrownBy(() -> CronSchedule.of("* * * * *", "Mars/Olympus"))
                .hasMessageContaining("time zone 'Mars/Olympus' is unknown");
        assertThatThrownBy(() -> Catchup.parse("some"))
                .hasMessageContaining("not one of all, latest, none");
    }
}
