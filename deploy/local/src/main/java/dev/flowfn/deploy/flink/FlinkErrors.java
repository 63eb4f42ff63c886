package dev.flowfn.deploy.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Turns what Flink's REST API reports about a failure (an {@code {"errors": [...]}} body, a Java
 * stack trace) into one line a person can act on: the outermost message and the root cause.
 *
 * <p>Stateless; any thread.
 */
final class FlinkErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LENGTH = 600;

    /** The message of an error response body: its first error, and the root cause of the rest. */
    static String fromResponse(String body) {
        JsonNode errors;
        try {
            errors = JSON.readTree(body).path("errors");
        } catch (IOException notJson) {
            return clip(body.strip());
        }
        if (!errors.isArray() || errors.isEmpty()) {
            return clip(body.strip());
        }
        StringBuilder all = new StringBuilder();
        errors.forEach(e -> all.append(e.asText()).append('\n'));
        return summary(all.toString());
    }

    /** The first line of a stack trace, and its last "Caused by" line when there is one. */
    static String summary(String trace) {
        String[] lines = trace.strip().split("\n");
        String first = lines[0].strip();
        String cause = null;
        for (String line : lines) {
            if (line.strip().startsWith("Caused by: ")) {
                cause = line.strip().substring("Caused by: ".length());
            }
        }
        return clip(
                cause == null || first.contains(cause)
                        ? first
                        : first + " (caused by " + cause + ")");
    }

    private static String clip(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "...";
    }

    private FlinkErrors() {}
}
