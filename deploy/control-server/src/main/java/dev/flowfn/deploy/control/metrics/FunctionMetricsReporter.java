package dev.flowfn.deploy.control.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * A Flink metric reporter for {@code flowfn local}: it keeps the job's per-function metrics (those
 * in a {@code function} group) so the control server, in the same JVM, serves them on its {@code
 * /metrics} endpoint, bound to 127.0.0.1. On a cluster, use Flink's own Prometheus reporter
 * instead; the metric names are the same.
 *
 * <p>Flink calls it from its metric registration threads; {@link #snapshot} from any thread.
 */
public final class FunctionMetricsReporter implements MetricReporter {

    /** One registered metric: its name, the function it belongs to, the subtask reporting it. */
    public record Key(String name, String function, String subtask) {}

    private static final Map<Key, Metric> METRICS = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {
        METRICS.clear();
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        Key key = key(name, group);
        if (key != null) {
            METRICS.put(key, metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        Key key = key(name, group);
        if (key != null) {
            METRICS.remove(key, metric);
        }
    }

    /** The per-function metrics reported so far (empty when no job runs in this JVM). */
    public static Map<Key, Metric> snapshot() {
        return Map.copyOf(METRICS);
    }

    private static Key key(String name, MetricGroup group) {
        Map<String, String> vars = group.getAllVariables();
        String function = vars.get("<function>");
        return function == null
                ? null
                : new Key(name, function, vars.getOrDefault("<subtask_index>", "0"));
    }
}
