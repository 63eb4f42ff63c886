package dev.flowfn.api;

import java.util.Locale;
import java.util.Objects;

/**
 * How a progress report reads on the log topic: {@code [progress 40%] message}, or {@code
 * [progress] message} without a fraction. Platforms and tools recognise reports by this prefix.
 */
public final class Progress {

    /** Every progress line starts with this. */
    public static final String PREFIX = "[progress";

    private Progress() {}

    /**
     * The log line of a report.
     *
     * @throws IllegalArgumentException if {@code fraction} is outside 0..1 and not NaN
     */
    public static String line(double fraction, String message) {
        Objects.requireNonNull(message, "message");
        if (Double.isNaN(fraction)) {
            return PREFIX + "] " + message;
        }
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException(
                    "progress fraction "
                            + fraction
                            + " is outside 0..1; pass done/total (e.g. 0.4 for 40%) or Double.NaN");
        }
        String pct = String.format(Locale.ROOT, "%.1f", fraction * 100).replaceAll("\\.0$", "");
        return PREFIX + " " + pct + "%] " + message;
    }

    /** Whether a log line is a progress report. */
    public static boolean isReport(String line) {
        return line != null
                && line.startsWith(PREFIX)
                && (line.startsWith(PREFIX + "]") || line.startsWith(PREFIX + " "));
    }
}
