package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One row of {@code GET /v1/usage}: metered usage and cost of a function version, over the whole
 * range or one time bucket of it.
 *
 * @param window the bucket's start (ISO-8601), only when buckets were asked for
 * @param invocations attempts
 * @param billedMs each attempt rounded up to 1 ms
 * @param gbSeconds a decimal, as text so no digit is lost
 * @param p50Ms the worst window's median duration
 * @param p99Ms the worst window's 99th percentile duration
 * @param cost an estimate in USD, a decimal as text
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageRow(
        String function,
        long version,
        @JsonInclude(JsonInclude.Include.NON_NULL) String window,
        long invocations,
        long errors,
        long throttles,
        long deadLetters,
        long billedMs,
        String gbSeconds,
        long p50Ms,
        long p99Ms,
        String cost,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> aliases) {

    /** A row of a version no alias sends traffic to. */
    public UsageRow(
            String function,
            long version,
            String window,
            long invocations,
            long errors,
            long throttles,
            long deadLetters,
            long billedMs,
            String gbSeconds,
            long p50Ms,
            long p99Ms,
            String cost) {
        this(
                function,
                version,
                window,
                invocations,
                errors,
                throttles,
                deadLetters,
                billedMs,
                gbSeconds,
                p50Ms,
                p99Ms,
                cost,
                null);
    }
}
