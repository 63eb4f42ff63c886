package dev.flowfn.job.internal.dispatch;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogramStatistics;

/**
 * A histogram over the last {@code size} values, as Flink's {@code DescriptiveStatisticsHistogram}
 * is, without a lock: an update is one atomic add and one array write. Flink's histogram is not
 * safe for several writers, and wrapped in a lock it took 5% of the task thread's time in scenario
 * 1 (two updates per invocation, a lock inside the lock). Lane and worker reader threads update it
 * beside the task thread; a reader may see a value that is being replaced, which for a metric does
 * not matter.
 */
final class RingHistogram implements Histogram {

    private final long[] values;

    /** {@code size - 1} when the size is a power of two, else -1 (then a slot is a remainder). */
    private final int mask;

    private final AtomicLong count = new AtomicLong();

    RingHistogram(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size " + size + " must be >= 1");
        }
        this.values = new long[size];
        this.mask = Integer.bitCount(size) == 1 ? size - 1 : -1;
    }

    @Override
    public void update(long value) {
        long n = count.getAndIncrement();
        values[mask >= 0 ? (int) (n & mask) : (int) (n % values.length)] = value;
    }

    @Override
    public long getCount() {
        return count.get();
    }

    @Override
    public HistogramStatistics getStatistics() {
        int n = (int) Math.min(count.get(), values.length);
        double[] snapshot = new double[n];
        for (int i = 0; i < n; i++) {
            snapshot[i] = values[i];
        }
        return new DescriptiveStatisticsHistogramStatistics(snapshot);
    }
}
