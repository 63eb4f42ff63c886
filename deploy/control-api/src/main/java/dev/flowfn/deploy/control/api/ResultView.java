package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The committed result of one invocation (after retries): the answer of a synchronous invoke and of
 * {@code GET /v1/invocations/{id}}. Text results ({@code text/*}, JSON, XML, YAML, forms, or no
 * content type) come as {@code data}, others as {@code dataBase64}: exactly one of them is set.
 *
 * @param contentType the result's media type, or null
 * @param failureKind only when {@code success} is false, e.g. {@code HANDLER_ERROR}
 * @param error only when {@code success} is false: what went wrong
 * @param status the HTTP status for HTTP triggers (200 unless the handler chose one)
 * @param attempts how many attempts it took
 * @param durationMs the duration of the last attempt
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResultView(
        String invocationId,
        String function,
        long version,
        boolean success,
        @JsonInclude(JsonInclude.Include.NON_NULL) String data,
        @JsonInclude(JsonInclude.Include.NON_NULL) String dataBase64,
        String contentType,
        @JsonInclude(JsonInclude.Include.NON_NULL) String failureKind,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error,
        int status,
        int attempts,
        double durationMs) {}
