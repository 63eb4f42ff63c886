package dev.flowfn.deploy.control.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * What Flink's {@code metrics.reporter.<name>.factory.class} names to load {@link
 * FunctionMetricsReporter}.
 */
public final class FunctionMetricsReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new FunctionMetricsReporter();
    }
}
