package dev.flowfn.bench.infra;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latencies keyed by the time their event was sent, so a scenario can keep only the events of its
 * measurement window. Thread-safe: readers add from their poll threads.
 */
public final class Samples {

    private long[] sent = new long[1024];
    private long[] latency = new long[1024];
    private int size;

    public synchronized void add(long sentMicros, long latencyMicros) {
        if (size == sent.length) {
            sent = Arrays.copyOf(sent, size * 2);
            latency = Arrays.copyOf(latency, size * 2);
        }
        sent[size] = sentMicros;
        latency[size] = latencyMicros;
        size++;
    }

    public synchronized int size() {
        return size;
    }

    /** The latencies (µs) of events sent in [fromMicros, toMicros), sorted. */
    public synchronized long[] window(long fromMicros, long toMicros) {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (sent[i] >= fromMicros && sent[i] < toMicros) {
                out[n++] = latency[i];
            }
        }
        long[] result = Arrays.copyOf(out, n);
        Arrays.sort(result);
        return result;
    }

    /** When the events sent in [fromMicros, toMicros) arrived (sent + latency, µs), unsorted. */
    public synchronized long[] arrivals(long fromMicros, long toMicros) {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (sent[i] >= fromMicros && sent[i] < toMicros) {
                out[n++] = sent[i] + latency[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Nearest-rank percentile of sorted values, in ms; NaN when empty. */
    public static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }

    /** p50 / p99 / max (ms) and the count, for a report's details. */
    public static Map<String, Object> summary(long[] sorted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", sorted.length);
        m.put("p50Ms", round(percentileMs(sorted, 50)));
        m.put("p99Ms", round(percentileMs(sorted, 99)));
        m.put("maxMs", round(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0));
        return m;
    }

    private static Object round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : null;
    }
}
