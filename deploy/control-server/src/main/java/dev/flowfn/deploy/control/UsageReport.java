package dev.flowfn.deploy.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Metered usage and cost per function version, as the API's JSON rows. {@link Usage} is the real
 * one. Threads: request threads; may block while it reads.
 */
@FunctionalInterface
interface UsageReport {

    /**
     * Rows ordered by function, version and bucket.
     *
     * @param function only this function, or null for all
     * @param bucket one row per bucket of this length, or null for one row per version
     */
    List<Map<String, Object>> rows(String function, Duration since, Duration bucket);
}
