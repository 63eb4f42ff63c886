package dev.flowfn.deploy.control.metrics;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.Metric;

/**
 * The control server's {@code /metrics} page in the Prometheus text format: the job's per-function
 * series ({@code flowfn_function_*}, labelled by function and subtask) and the server's own request
 * counters ({@code flowfn_http_requests_total}). Thread-safe.
 */
public final class PrometheusText {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> replies = new ConcurrentHashMap<>();

    /** Counts one answered request of the API or the gateway. */
    public void countRequest(String server, int status) {
        requests.computeIfAbsent(server + "\u0000" + status, k -> new LongAdder()).increment();
    }

    /**
     * Counts one synchronous gateway answer by how its result came: {@code push} (the job pushed it
     * as soon as it was written) or {@code topic} (read from {@code flowfn.results} first).
     */
    public void countReply(String via) {
        replies.computeIfAbsent(via, k -> new LongAdder()).increment();
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        Map<String, StringBuilder> families = new TreeMap<>();
        FunctionMetricsReporter.snapshot().entrySet().stream()
                .sorted(
                        Comparator.comparing(
                                        (Map.Entry<FunctionMetricsReporter.Key, Metric> e) ->
                                                e.getKey().name())
                                .thenComparing(e -> e.getKey().function())
                                .thenComparing(e -> e.getKey().subtask()))
                .forEach(e -> series(families, e.getKey(), e.getValue()));
        families.forEach((family, lines) -> b.append(lines));
        b.append(
                "# HELP flowfn_http_requests_total Requests answered by the control API and the HTTP gateway.\n");
        b.append("# TYPE flowfn_http_requests_total counter\n");
        new TreeMap<>(requests)
                .forEach(
                        (k, v) -> {
                            String[] parts = k.split("\u0000");
                            b.append("flowfn_http_requests_total{server=\"")
                                    .append(parts[0])
                                    .append("\",status=\"")
                                    .append(parts[1])
                                    .append("\"} ")
                                    .append(v.sum())
                                    .append('\n');
                        });
        b.append(
                "# HELP flowfn_gateway_replies_total Synchronous gateway answers, by how their result came.\n");
        b.append("# TYPE flowfn_gateway_replies_total counter\n");
        new TreeMap<>(replies)
                .forEach(
                        (via, n) ->
                                b.append("flowfn_gateway_replies_total{via=\"")
                                        .append(via)
                                        .append("\"} ")
                                        .append(n.sum())
                                        .append('\n'));
        return b.toString();
    }

    private static void series(
            Map<String, StringBuilder> families, FunctionMetricsReporter.Key key, Metric metric) {
        String labels =
                "function=\"" + escape(key.function()) + "\",subtask=\"" + key.subtask() + "\"";
        String base = "flowfn_function_" + snake(key.name());
        if (metric instanceof Counter c) {
            family(families, base + "_total", "counter")
                    .append(base)
                    .append("_total{")
                    .append(labels)
                    .append("} ")
                    .append(c.getCount())
                    .append('\n');
        } else if (metric instanceof Gauge<?> g && g.getValue() instanceof Number n) {
            family(families, base, "gauge")
                    .append(base)
                    .append('{')
                    .append(labels)
                    .append("} ")
                    .append(n)
                    .append('\n');
        } else if (metric instanceof Histogram h) {
            HistogramStatistics stats = h.getStatistics();
            StringBuilder f = family(families, base, "summary");
            for (double q : List.of(0.5, 0.99)) {
                f.append(base)
                        .append('{')
                        .append(labels)
                        .append(",quantile=\"")
                        .append(q)
                        .append("\"} ")
                        .append(stats.getQuantile(q))
                        .append('\n');
            }
            f.append(base)
                    .append("_count{")
                    .append(labels)
                    .append("} ")
                    .append(h.getCount())
                    .append('\n');
        }
    }

    private static StringBuilder family(
            Map<String, StringBuilder> families, String name, String type) {
        return families.computeIfAbsent(
                name, n -> new StringBuilder("# TYPE " + n + " " + type + "\n"));
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
