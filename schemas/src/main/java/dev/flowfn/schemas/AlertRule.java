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
 *   <li>{@code throttles>0/5m}: throttled invocations;
 *   <li>{@code dead-letters>0/5m}: invocations that failed for good (after retries);
 *   <li>{@code invocations<1/10m}: too few attempts, e.g. a scheduled function that stopped running
 *       (evaluated once the function has run at least once).
 * </ul>
 */
public record AlertRule(
        String text, Metric metric, boolean below, double threshold, Duration period) {

    /** What a rule measures. */
    public enum Metric {
        ERROR_RATE,
        ERRORS,
        P99,
        INVOCATIONS,
        THROTTLES,
        DEAD_LETTERS
    }

    private static final Pattern RULE =
            Pattern.compile(
                    "(error-rate|errors|p99|invocations|throttles|dead-letters)([<>])([0-9]+(?:\\.[0-9]+)?)(%|ms|s|m)?/([0-9]+[smh])");

    public static AlertRule parse(String text) {
        Matcher m = RULE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidSpecException(
                    "alert rule '"
                            + text
                            + "' is not understood; write METRIC>THRESHOLD/PERIOD,"
                            + " e.g. error-rate>5%/5m, p99>2s/5m, errors>10/1m, dead-letters>0/5m, invocations<1/10m");
        }
        Metric metric = Metric.valueOf(m.group(1).replace('-', '_').toUpperCase(Locale.ROOT));
        boolean below = m.group(2).equals("<");
        if (below && metric != Metric.INVOCATIONS) {
            throw new InvalidSpecException(
                    "alert rule '"
                            + text
                            + "': only invocations can have a lower bound (invocations<1/10m);"
                            + " write "
                            + m.group(1)
                            + ">...");
        }
        double value = Double.parseDouble(m.group(3));
        String unit = m.group(4);
        double threshold =
                switch (metric) {
                    case ERROR_RATE -> {
                        if (!"%".equals(unit) || value > 100) {
                            throw new InvalidSpecException(
                                    "alert rule '"
                                            + text
                                            + "': error-rate takes a percentage up to 100%, e.g. error-rate>5%/5m");
                        }
                        yield value / 100;
                    }
                    case P99 -> {
                        if (unit == null || unit.equals("%")) {
                            throw new InvalidSpecException(
                                    "alert rule '"
                                            + text
                                            + "': p99 takes a duration, e.g. p99>2s/5m or p99>500ms/5m");
                        }
                        yield unit.equals("ms")
                                ? value
                                : unit.equals("s") ? value * 1000 : value * 60_000;
                    }
                    default -> {
                        if (unit != null) {
                            throw new InvalidSpecException(
                                    "alert rule '"
                                            + text
                                            + "': "
                                            + m.group(1)
                                            + " takes a plain count, e.g. "
                                            + m.group(1)
                                            + ">10/5m");
                        }
                        yield value;
                    }
                };
        Duration period = FunctionSpecRules.parseDuration(m.group(5));
        return new AlertRule(text.trim(), metric, below, threshold, period);
    }

    /** What the windows of one period add up to. */
    public record Sums(
            long invocations, long errors, long throttles, long deadLetters, long worstP99Ms) {}

    /** Whether the rule holds (the alert fires) for these sums over its period. */
    public boolean breached(Sums s) {
        return switch (metric) {
            case ERROR_RATE ->
                    s.invocations() > 0 && (double) s.errors() / s.invocations() > threshold;
            case ERRORS -> s.errors() > threshold;
            case P99 -> s.worstP99Ms() > threshold;
            case INVOCATIONS -> below ? s.invocations() < threshold : s.invocations() > threshold;
            case THROTTLES -> s.throttles() > threshold;
            case DEAD_LETTERS -> s.deadLetters() > threshold;
        };
    }

    /** The measured value, as the alert shows it. */
    public String measured(Sums s) {
        return switch (metric) {
            case ERROR_RATE ->
                    s.invocations() == 0
                            ? "0%"
                            : String.format(
                                    Locale.ROOT, "%.1f%%", 100.0 * s.errors() / s.invocations());
            case ERRORS -> Long.toString(s.errors());
            case P99 -> s.worstP99Ms() + "ms";
            case INVOCATIONS -> Long.toString(s.invocations());
            case THROTTLES -> Long.toString(s.throttles());
            case DEAD_LETTERS -> Long.toString(s.deadLetters());
        };
    }
}
