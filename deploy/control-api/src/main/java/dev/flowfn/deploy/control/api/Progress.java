package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The latest progress report of a function's handlers ({@code context.progress}), as describe shows
 * it in {@link FunctionView#progress()}. The server always sets every field but {@code fraction};
 * an absent field reads as null.
 *
 * @param time an ISO-8601 instant
 * @param message the log line of the report
 * @param fraction done so far, 0..1; null (no field) when the handler gave none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(
        String time, Long version, String invocationId, String message, Double fraction) {}
