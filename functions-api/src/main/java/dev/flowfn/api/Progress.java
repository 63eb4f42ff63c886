package dev.flowfn.api;

import java.util.Locale;
import java.util.Objects;

/**
 * How a progress report reads on the log topic: {@code [progress 40%] message}, or {@code
 * [progress] message} without a fraction. The text is for display only: the platform marks a report
 * with a field of its own, so a line a handler logs that merely starts with {@code [progress} is
 * not a report.
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

    /**
     * Whether a line reads like a progress report. Only for showing lines: a logged line can read
     * like one too, and the platform does not take it for one.
     */
    public static boolean isReport(String line) {
        return line != null
                && line.startsWith(PREFIX)
                && (line.startsWith(PREFIX + "]") || line.startsWith(PREFIX + " "));
    }
}
