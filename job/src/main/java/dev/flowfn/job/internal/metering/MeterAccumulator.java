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
        histogram.merge(billed, 1L, Long::sum);
    }

    public MeterAccumulator merge(MeterAccumulator other) {
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
