package dev.flowfn.connectors.timer;

import java.util.Locale;

/** What a trigger does with ticks it missed (the connector was down, or far behind). */
public enum Catchup {
    /** Fire every missed tick, oldest first, at most the connector's catch-up bound. */
    ALL,
    /** Fire only the most recent missed tick. The default. */
    LATEST,
    /** Fire no missed tick; the schedule resumes with the next one. */
    NONE;

    /** Parses {@code all|latest|none}; null or blank is {@link #LATEST}. */
    public static Catchup parse(String text) {
        if (text == null || text.isBlank()) {
            return LATEST;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "catchup '" + text + "' is not one of all, latest, none (default latest)");
        }
    }
}
