package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An alert rule that fired or resolved: one entry of {@code GET /v1/alerts}, and the body POSTed to
 * a function's alert webhook.
 *
 * @param rule as written in the spec, e.g. {@code error-rate>5%/5m}
 * @param state {@code FIRING} or {@code RESOLVED}
 * @param value the measured value that crossed the threshold, e.g. {@code 12.5%}
 * @param windowStart an ISO-8601 instant
 * @param windowEnd an ISO-8601 instant
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertView(
        String function,
        long version,
        String rule,
        String state,
        String value,
        String windowStart,
        String windowEnd) {}
