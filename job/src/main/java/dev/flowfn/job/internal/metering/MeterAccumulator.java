package dev.flowfn.job.internal.metering;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running sums of one window: exact integers only (billed ms, MB x ms), and a histogram of
 * billed milliseconds for exact percentiles at millisecond resolution. A Flink POJO.
 */
public final class MeterAccumulator {
    public long invocations;
    public long errors;
    public long deadLetters;
    public long billedMs;
    public long mbMs;
    public long maxMs;
    public HashMap<Long, Long> histogram = new HashMap<>();

    /** Billed values under this many ms are counted in {@link #pending} first. */
    static final int PENDING_MS = 64;

    /**
     * Counts of billed values under {@link #PENDING_MS} that {@link #add} made and {@link #fold}
     * has not yet moved into {@link #histogram}: most attempts take a few milliseconds, and an
     * array increment costs less than a map merge with a boxed count. Not part of the POJO
     * (transient): whoever hands the accumulator on folds it first.
     */
    private transient long[] pending;

    /** Adds one attempt. */
    public void add(long billed, int memoryMb, boolean success, boolean deadLettered) {
        invocations++;
        if (!success) {
            errors++;
        }
        if (deadLettered) {
            deadLetters++;
        }
        billedMs += billed;
        mbMs += billed * memoryMb;
        maxMs = Math.max(maxMs, billed);
        if (billed >= 0 && billed < PENDING_MS) {
            long[] counts = pending;
            if (counts == null) {
                counts = new long[PENDING_MS];
                pending = counts;
            }
            counts[(int) billed]++;
        } else {
            histogram.merge(billed, 1L, Long::sum);
        }
    }

    /**
     * Moves what {@link #add} counted aside into {@link #histogram}; call before the accumulator is
     * serialized (emitted, checkpointed). Reading and merging here fold by themselves.
     */
    public void fold() {
        long[] counts = pending;
        if (counts == null) {
            return;
        }
        for (int ms = 0; ms < counts.length; ms++) {
            if (counts[ms] != 0) {
                histogram.merge((long) ms, counts[ms], Long::sum);
                counts[ms] = 0;
            }
        }
    }

    public MeterAccumulator merge(MeterAccumulator other) {
        fold();
        other.fold();
        invocations += other.invocations;
        errors += other.errors;
        deadLetters += other.deadLetters;
        billedMs += other.billedMs;
        mbMs += other.mbMs;
        maxMs = Math.max(maxMs, other.maxMs);
        other.histogram.forEach((ms, n) -> histogram.merge(ms, n, Long::sum));
        return this;
    }

    /**
     * The billed milliseconds at quantile {@code q} (0..1): the smallest value with at least q of
     * the attempts at or below it.
     */
    public long percentile(double q) {
        if (invocations == 0) {
            return 0;
        }
        fold();
        long rank = (long) Math.ceil(q * invocations);
        long seen = 0;
        for (Map.Entry<Long, Long> e : new TreeMap<>(histogram).entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey();
            }
        }
        return maxMs;
    }
}
