package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One line a handler logged through its context, in a {@link LogPage}.
 *
 * @param time an ISO-8601 instant
 * @param level e.g. {@code INFO}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LogLine(
        String time,
        String level,
        long version,
        String invocationId,
        int attempt,
        String message) {}
