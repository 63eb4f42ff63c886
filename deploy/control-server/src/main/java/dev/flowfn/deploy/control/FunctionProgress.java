package dev.flowfn.deploy.control;

import java.time.Instant;
import java.util.Map;

/**
 * The latest progress report of each function, as the API's JSON. {@link ProgressView} ({@code
 * flowfn.progress}) is the real one. Threads: request threads; never blocks.
 */
interface FunctionProgress {

    /**
     * {@code {time, version, invocationId, message, fraction}} of the newest report of {@code
     * function} made at or after {@code since} ({@code fraction} only when the handler gave one);
     * null when there is none.
     */
    Map<String, Object> latest(String function, Instant since);
}
