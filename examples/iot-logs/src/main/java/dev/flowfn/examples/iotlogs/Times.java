package dev.flowfn.examples.iotlogs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Timestamps as devices write them: ISO 8601 with an offset, or epoch seconds / millis. */
final class Times {

    static Instant parse(String line, String value) {
        Instant t = tryParse(value);
        if (t == null) {
            throw new UnparsableLineException(
                    line,
                    "bad time '"
                            + value
                            + "' (expected ISO 8601 with an offset, like 2026-11-24T05:00:01Z, or"
                            + " epoch seconds or milliseconds)");
        }
        return t;
    }

    static Instant tryParse(String value) {
        if (value.matches("\\d{9,10}")) {
            return Instant.ofEpochSecond(Long.parseLong(value));
        }
        if (value.matches("\\d{12,13}")) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Times() {}
}
