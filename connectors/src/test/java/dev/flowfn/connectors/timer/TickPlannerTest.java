package dev.flowfn.connectors.timer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.connectors.timer.TickPlanner.Plan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TickPlannerTest {

    private static final CronSchedule EVERY_MINUTE = CronSchedule.of("*/1 * * * *", "UTC");
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration THRESHOLD = Duration.ofSeconds(10);

    private static Plan plan(Catchup c, Instant position, Instant now, int max) {
        return TickPlanner.plan(EVERY_MINUTE, c, position, now, THRESHOLD, max);
    }

    private static Instant min(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    @Test
    void onTimeTickFiresUnderEveryPolicy() {
        for (Catchup c : Catchup.values()) {
            Plan p = plan(c, min(0), min(1).plusSeconds(2), 1000);
            assertThat(p.fire()).as(c.name()).containsExactly(min(1));
            assertThat(p.position()).isEqualTo(min(1));
            assertThat(p.skipped()).isZero();
        }
    }

    @Test
    void nothingDueFiresNothing() {
        for (Catchup c : Catchup.values()) {
            assertThat(plan(c, min(1), min(1).plusSeconds(59), 1000).fire()).isEmpty();
        }
    }

    @Test
    void afterAThirtyMinuteOutage() {
        // fired through minute 60; back at 90:30, 20 s past the threshold for minute 90
        Instant now = min(90).plusSeconds(30);
        Plan all = plan(Catchup.ALL, min(60), now, 1000);
        assertThat(all.fire()).hasSize(30).startsWith(min(61)).endsWith(min(90));
        assertThat(all.skipped()).isZero();

        Plan latest = plan(Catchup.LATEST, min(60), now, 1000);
        assertThat(latest.fire()).containsExactly(min(90));
        assertThat(latest.skipped()).isEqualTo(29);
        assertThat(latest.position()).isEqualTo(min(90));

        Plan none = plan(Catchup.NONE, min(60), now, 1000);
        assertThat(none.fire()).isEmpty();
        assertThat(none.skipped()).isEqualTo(30);
        assertThat(none.position()).as("missed ticks are not looked at again").isEqualTo(min(90));
    }

    @Test
    void noneStillFiresTheTickThatIsOnTime() {
        Plan none = plan(Catchup.NONE, min(60), min(90).plusSeconds(5), 1000);
        assertThat(none.fire()).containsExactly(min(90));
        assertThat(none.skipped()).isEqualTo(29);
    }

    @Test
    void allIsBoundedAndKeepsTheNewest() {
        Plan p = plan(Catchup.ALL, min(0), min(100).plusSeconds(30), 25);
        assertThat(p.fire()).hasSize(25).startsWith(min(76)).endsWith(min(100));
        assertThat(p.skipped()).isEqualTo(75);
    }

    @Test
    void repeatedPlanningNeverFiresAnInstantTwice() {
        // a poll loop with an irregular clock over two hours: every minute exactly once
        Set<Instant> fired = new HashSet<>();
        Instant position = min(0);
        Instant now = min(0);
        long[] steps = {7, 13, 59, 60, 61, 1, 119, 3};
        for (int i = 0; now.isBefore(min(120)); i++) {
            now = now.plusSeconds(steps[i % steps.length]);
            if (now.isAfter(min(120))) {
                now = min(120);
            }
            Plan p = TickPlanner.plan(EVERY_MINUTE, Catchup.ALL, position, now, THRESHOLD, 1000);
            for (Instant t : p.fire()) {
                assertThat(fired.add(t)).as("fired twice: " + t).isTrue();
            }
            position = p.position();
        }
        assertThat(fired).hasSize(120);
    }

    @Test
    void berlinFallBackDayFiresTwentyFiveHourlyTicks() {
        CronSchedule hourly = CronSchedule.of("0 * * * *", "Europe/Berlin");
        Instant start = ZonedDateTime.parse("2026-10-25T00:00+02:00[Europe/Berlin]").toInstant();
        Instant end = ZonedDateTime.parse("2026-10-26T00:00+01:00[Europe/Berlin]").toInstant();
        Plan p =
                TickPlanner.plan(
                        hourly,
                        Catchup.ALL,
                        start.minusMillis(1),
                        end.minusMillis(1),
                        THRESHOLD,
                        1000);
        assertThat(p.fire()).hasSize(25).doesNotHaveDuplicates();
        Instant springStart =
                ZonedDateTime.parse("2026-03-29T00:00+01:00[Europe/Berlin]").toInstant();
        Instant springEnd =
                ZonedDateTime.parse("2026-03-30T00:00+02:00[Europe/Berlin]").toInstant();
        List<Instant> spring =
                TickPlanner.plan(
                                hourly,
                                Catchup.ALL,
                                springStart.minusMillis(1),
                                springEnd.minusMillis(1),
                                THRESHOLD,
                                1000)
                        .fire();
        assertThat(spring).hasSize(23);
    }

    @Test
    void berlinDailyInTheRepeatedHourFiresOnceWhenPolledStepByStep() {
        CronSchedule daily = CronSchedule.of("30 2 * * *", "Europe/Berlin");
        Instant position = ZonedDateTime.parse("2026-10-25T00:00+02:00[Europe/Berlin]").toInstant();
        Instant end = position.plus(Duration.ofHours(25));
        List<Instant> fired = new java.util.ArrayList<>();
        for (Catchup c : Catchup.values()) {
            fired.clear();
            Instant pos = position;
            for (Instant now = position; now.isBefore(end); now = now.plusSeconds(20)) {
                Plan p = TickPlanner.plan(daily, c, pos, now, THRESHOLD, 1000);
                fired.addAll(p.fire());
                pos = p.position();
            }
            assertThat(fired)
                    .as(c.name())
                    .containsExactly(
                            ZonedDateTime.parse("2026-10-25T02:30+02:00[Europe/Berlin]")
                                    .toInstant());
        }
    }
}
