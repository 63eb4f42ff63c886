package dev.flowfn.job.internal.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * Per-function Flink metrics, in a group {@code function=<name>} of the dispatch operator: counters
 * {@code invocations}, {@code errors}, {@code retries}, {@code deadLetters}; gauge {@code
 * inFlight}; histograms {@code durationMs} and {@code queueWaitMs}. Any Flink metric reporter
 * (Prometheus, JMX, ...) exports them.
 */
public final class FlinkDispatchMetrics implements DispatchMetrics {

    /** Values each histogram keeps: a power of two, so a slot is a mask, not a division. */
    static final int HISTOGRAM_SIZE = 1024;

    private final MetricGroup group;
    private final Map<String, PerFunction> functions = new ConcurrentHashMap<>();

    public FlinkDispatchMetrics(MetricGroup group) {
        this.group = group;
    }

    /**
     * The function looked up last, by its name's identity: each call passes its spec's own name
     * string, and a run of one function's invocations then skips the map (its lookup took 5% of the
     * task thread's samples in scenario 1, twice per invocation).
     */
    private volatile Last last;

    private record Last(String function, PerFunction metrics) {}

    private PerFunction of(String function) {
        Last l = last;
        if (l != null && l.function == function) {
            return l.metrics;
        }
        PerFunction m =
                functions.computeIfAbsent(
                        function, f -> new PerFunction(group.addGroup("function", f)));
        last = new Last(function, m);
        return m;
    }

    @Override
    public void started(String function, long queueWaitMicros) {
        PerFunction m = of(function);
        m.inFlight.incrementAndGet();
        m.queueWait.update(queueWaitMicros / 1000);
    }

    @Override
    public void finished(String function, long durationMicros, boolean success) {
        PerFunction m = of(function);
        m.inFlight.decrementAndGet();
        m.invocations.inc();
        if (!success) {
            m.errors.inc();
        }
        m.duration.update(durationMicros / 1000);
    }

    /** No in-flight count: the gauge could only see an inline run by landing inside it. */
    @Override
    public void ranInline(String function, long durationMicros, boolean success) {
        PerFunction m = of(function);
        m.queueWait.update(0);
        m.invocations.inc();
        if (!success) {
            m.errors.inc();
        }
        m.duration.update(durationMicros / 1000);
    }

    @Override
    public void retried(String function) {
        of(function).retries.inc();
    }

    @Override
    public void deadLettered(String function) {
        of(function).deadLetters.inc();
    }

    private static final class PerFunction {
        final Counter invocations;
        final Counter errors;
        final Counter retries;
        final Counter deadLetters;
        final AtomicInteger inFlight = new AtomicInteger();
        final Histogram duration;
        final Histogram queueWait;

        PerFunction(MetricGroup g) {
            invocations = g.counter("invocations", new ThreadSafeSimpleCounter());
            errors = g.counter("errors", new ThreadSafeSimpleCounter());
            retries = g.counter("retries", new ThreadSafeSimpleCounter());
            deadLetters = g.counter("deadLetters", new ThreadSafeSimpleCounter());
            g.gauge("inFlight", (Gauge<Integer>) inFlight::get);
            duration = g.histogram("durationMs", new RingHistogram(HISTOGRAM_SIZE));
            queueWait = g.histogram("queueWaitMs", new RingHistogram(HISTOGRAM_SIZE));
        }
    }
}
