package dev.flowfn.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PaceTest {

    private static Outcome ok(long us) {
        return new Outcome.Success(null, 200, Map.of(), new byte[0], us);
    }

    private static void fastRuns(Pace pace, int n) {
        for (int i = 0; i < n; i++) {
            pace.record(ok(Pace.FAST_LIMIT_US - 1));
        }
    }

    @Test
    void aNewVersionGetsItsConcurrencyOnly() {
        assertThat(new Pace(8).depth(16)).isEqualTo(16);
    }

    @Test
    void enoughFastRunsInARowDeepenThePipeline() {
        Pace pace = new Pace(8);
        fastRuns(pace, Pace.SLOW_MEMORY - 1);
        assertThat(pace.fast()).isFalse();
        fastRuns(pace, 1);
        assertThat(pace.fast()).isTrue();
        assertThat(pace.depth(16)).isEqualTo(16 * 8);
    }

    @Test
    void oneSlowRunEndsItAtOnce() {
        Pace pace = new Pace(8);
        fastRuns(pace, Pace.SLOW_MEMORY);
        pace.record(ok(Pace.FAST_LIMIT_US));
        assertThat(pace.depth(4)).isEqualTo(4);
        fastRuns(pace, Pace.SLOW_MEMORY - 1);
        assertThat(pace.fast()).isFalse();
    }

    @Test
    void aFailureWithoutADurationCountsAsSlow() {
        Pace pace = new Pace(8);
        fastRuns(pace, Pace.SLOW_MEMORY);
        pace.record(new Outcome.Failure(WorkerFailureKind.WORKER_EXITED, "gone", null, 0));
        assertThat(pace.fast()).isFalse();

        fastRuns(pace, Pace.SLOW_MEMORY);
        pace.record(new Outcome.Failure(WorkerFailureKind.HANDLER_ERROR, "threw", null, 12));
        assertThat(pace.fast()).as("a handler error that took 12 µs is fast").isTrue();
    }
}
