package dev.flowfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.bench.infra.BenchFlink.CheckpointTimes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bursts of committed results are matched to the checkpoint acknowledged just before them. */
class CommitDelaysTest {

    private static final long T0 = 1_700_000_000_000L; // epoch ms

    @Test
    void eachBurstGoesToTheLatestCheckpointAcknowledgedBeforeIt() {
        List<CheckpointTimes> checkpoints =
                List.of(
                        new CheckpointTimes(T0, T0 + 30),
                        new CheckpointTimes(T0 + 1_000, T0 + 1_120),
                        // acknowledged after the last burst: matches none
                        new CheckpointTimes(T0 + 2_000, T0 + 2_040));
        long[] arrivals = {
            // second burst first: order does not matter
            micros(T0 + 1_150),
            micros(T0 + 1_151),
            micros(T0 + 1_190),
            micros(T0 + 45),
            micros(T0 + 46),
        };

        List<double[]> delays = CommitDelays.perCheckpoint(arrivals, checkpoints);

        assertThat(delays).hasSize(2);
        assertThat(delays.get(0)).containsExactly(30, 15);
        assertThat(delays.get(1)).containsExactly(120, 30);
        assertThat(CommitDelays.describe(arrivals, checkpoints))
                .isEqualTo(
                        "trigger -> last ack p50 120 / max 120 ms, last ack -> first result seen"
                                + " p50 30.0 / max 30.0 ms (2 checkpoints)");
    }

    @Test
    void aBurstBeforeEveryAcknowledgementIsNotCounted() {
        List<CheckpointTimes> checkpoints = List.of(new CheckpointTimes(T0 + 1_000, T0 + 1_050));

        assertThat(CommitDelays.perCheckpoint(new long[] {micros(T0 + 500)}, checkpoints))
                .isEmpty();
        assertThat(CommitDelays.describe(new long[] {micros(T0 + 500)}, checkpoints))
                .startsWith("no committed burst matched");
    }

    private static long micros(long epochMs) {
        return epochMs * 1000;
    }
}
