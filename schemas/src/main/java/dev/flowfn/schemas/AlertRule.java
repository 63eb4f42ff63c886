package dev.flowfn.schemas;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert rule as users write it: {@code METRIC>THRESHOLD/PERIOD}, evaluated on the metering
 * windows of the last PERIOD.
 *
 * <ul>
 *   <li>{@code error-rate>5%/5m}: failed attempts over all attempts;
 *   <li>{@code errors>10/5m}: failed attempts;
 *   <li>{@code p99>2s/5m}: the 99th percentile of attempt durations (worst window);
 *   <li>{@code invocations>1000/1m}: attempts;
 *   <li>{@code throttles>0/5m}: throttled invocations.
 * </ul>
 */
public record AlertRule(String text, Metric metric, double threshold, Duration period) {

    /** What a rule measures. */
    public enum Metric {
        ERROR_RATE,
        ERRORS,
        P99,
        INVOCATIONS,
        THROTTLES
    }

    private static final Pattern RULE =
            Pattern.compile("(error-rate|errors|p99|invocations|throttles)>([0-9]+(?:\\.[0-9]+)?)(%|ms|s|m)?/([0-9]+[smh])");

    public static AlertRule parse(String text) {
        Matcher m = RULE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidSpecException("alert rule '" + text + "' is not understood; write METRIC>THRESHOLD/PERIOD,"
                    + " e.g. error-rate>5%/5m, p99>2s/5m, errors>10/1m, invocations>1000/1m, throttles>0/5m");
        }
        Metric metric = Metric.valueOf(m.group(1).replace('-', '_').toUpperCase(Locale.ROOT));
        double value = Double.parseDouble(m.group(2));
        String unit = m.group(3);
        double threshold = switch (metric) {
            case ERROR_RATE -> {
                if (!"%".equals(unit) || value > 100) {
                    throw new InvalidSpecException("alert rule '" + text + "': error-rate takes a percentage up to 100%, e.g. error-rate>5%/5m");
                }
                yield value / 100;
            }
            case P99 -> {
                if (unit == null || unit.equals("%")) {
                    throw new InvalidSpecException("alert rule '" + text + "': p99 takes a duration, e.g. p99>2s/5m or p99>500ms/5m");
                }
                yield unit.equals("ms") ? value : unit.equals("s") ? value * 1000 : value * 60_000;
            }
            default -> {
                if (unit != null) {
                    throw new InvalidSpecException("alert rule '" + text + "': " + m.group(1) + " takes a plain count, e.g. "
                            + m.group(1) + ">10/5m");
                }
                yield value;
            }
        };
        Duration period = FunctionSpecRules.parseDuration(m.group(4));
        return new AlertRule(text.trim(), metric, threshold, period);
    }

    /** Whether the rule holds (the alert fires) for these sums over its period. */
    public boolean breached(long invocations, long errors, long throttles, long worstP99Ms) {
        return switch (metric) {
            case ERROR_RATE -> invocations > 0 && (double) errors / invocations > threshold;
            case ERRORS -> errors > threshold;
            case P99 -> worstP99Ms > threshold;
            case INVOCATIONS -> invocations > threshold;
            case THROTTLES -> throttles > threshold;
        };
    }

    /** The measured value, as the alert shows it. */
    public String measured(long invocations, long errors, long throttles, long worstP99Ms) {
        return switch (metric) {
            case ERROR_RATE -> invocations == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * errors / invocations);
            case ERRORS -> Long.toString(errors);
            case P99 -> worstP99Ms + "ms";
            case INVOCATIONS -> Long.toString(invocations);
            case THROTTLES -> Long.toString(throttles);
        };
    }
}
