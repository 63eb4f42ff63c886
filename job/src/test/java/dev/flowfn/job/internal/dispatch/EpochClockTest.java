package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EpochClockTest {

    @Test
    void followsTheWallClockWithinAMillisecond() throws Exception {
        for (int i = 0; i < 5; i++) {
            long before = Outcomes.epochMicros(Instant.now());
            long micros = EpochClock.micros(System.nanoTime());
            long after = Outcomes.epochMicros(Instant.now());
            // the base may be up to REBASE_MILLIS old: the monotonic clock carries it forward
            assertThat(micros).isBetween(before - 1_000, after + 1_000);
            Thread.sleep(EpochClock.REBASE_MILLIS / 2 + 7);
        }
    }

    @Test
    void aReadingFromBeforeTheBaseIsStillOnTheEpochScale() {
        long now = System.nanoTime();
        long earlier = EpochClock.micros(now - 5_000_000); // 5 ms before
        long later = EpochClock.micros(now);
        assertThat(later - earlier).isBetween(4_000L, 6_000L);
    }
}
