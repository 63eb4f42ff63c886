package dev.flowfn.bench;

import dev.flowfn.bench.infra.BenchFlink.CheckpointTimes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a committed result's wait after its checkpoint's trigger goes, per checkpoint: from the
 * trigger to the last task's acknowledgement (the checkpoint itself), and from that acknowledgement
 * to the first of its results a read_committed reader saw (the commit: notifications to the tasks,
 * the sinks' transaction commits, the broker's markers, the reader's fetch).
 *
 * <p>Committed results arrive in bursts, one per checkpoint: the results of a checkpoint become
 * visible together when its transactions commit. Each burst is matched to the latest checkpoint
 * acknowledged before the burst's first result.
 */
final class CommitDelays {

    /** Arrivals further apart than this start a new burst (checkpoints are a second apart). */
    static final long BURST_GAP_MICROS = 200_000;

    /**
     * Per burst of arrivals (epoch µs, any order): the matched checkpoint's trigger to last
     * acknowledgement, and that acknowledgement to the burst's first arrival, in ms.
     */
    static List<double[]> perCheckpoint(long[] arrivalsMicros, List<CheckpointTimes> checkpoints) {
        long[] sorted = arrivalsMicros.clone();
        Arrays.sort(sorted);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < sorted.length; i++) {
            boolean burstStart = i == 0 || sorted[i] - sorted[i - 1] > BURST_GAP_MICROS;
            if (!burstStart) {
                continue;
            }
            long firstMicros = sorted[i];
            CheckpointTimes matched = null;
            for (CheckpointTimes c : checkpoints) {
                if (c.acknowledgedMs() * 1000 <= firstMicros
                        && (matched == null || c.acknowledgedMs() > matched.acknowledgedMs())) {
                    matched = c;
                }
            }
            if (matched != null) {
                out.add(
                        new double[] {
                            matched.acknowledgedMs() - matched.triggeredMs(),
                            (firstMicros - matched.acknowledgedMs() * 1000) / 1000.0
                        });
            }
        }
        return out;
    }

    /**
     * {@code "trigger -> last ack p50 X / max Y ms, last ack -> first result seen p50 A / max B ms
     * (N checkpoints)"}, or a sentence saying nothing matched.
     */
    static String describe(long[] arrivalsMicros, List<CheckpointTimes> checkpoints) {
        List<double[]> delays = perCheckpoint(arrivalsMicros, checkpoints);
        if (delays.isEmpty()) {
            return "no committed burst matched a checkpoint in the REST history";
        }
        double[] checkpoint = delays.stream().mapToDouble(d -> d[0]).sorted().toArray();
        double[] commit = delays.stream().mapToDouble(d -> d[1]).sorted().toArray();
        return String.format(
                Locale.ROOT,
                "trigger -> last ack p50 %.0f / max %.0f ms, last ack -> first result seen p50"
                        + " %.1f / max %.1f ms (%d checkpoints)",
                checkpoint[checkpoint.length / 2],
                checkpoint[checkpoint.length - 1],
                commit[commit.length / 2],
                commit[commit.length - 1],
                delays.size());
    }

    private CommitDelays() {}
}
