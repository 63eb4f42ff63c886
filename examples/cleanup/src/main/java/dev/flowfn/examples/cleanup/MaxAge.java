package dev.flowfn.examples.cleanup;

import java.time.Duration;

/** {@code MAX_AGE} as users write it: {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}, or ISO. */
final class MaxAge {

    private MaxAge() {}

    static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return positive(Duration.parse(t), text);
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 'd':
                    return positive(Duration.ofDays(n), text);
                case 'h':
                    return positive(Duration.ofHours(n), text);
                case 'm':
                    return positive(Duration.ofMinutes(n), text);
                case 's':
                    return positive(Duration.ofSeconds(n), text);
                default:
                    break;
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException
                    && e.getMessage() != null
                    && e.getMessage().startsWith("MAX_AGE")) {
                throw e;
            }
            // DateTimeParseException, NumberFormatException, empty: the message below
        }
        throw new IllegalArgumentException(
                "MAX_AGE '" + text + "' is not understood; write e.g. 7d, 12h, 30m, 45s or P7D");
    }

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("MAX_AGE '" + text + "' must be more than zero");
        }
        return d;
    }
}
