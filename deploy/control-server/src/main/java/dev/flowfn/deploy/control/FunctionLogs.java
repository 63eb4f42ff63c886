package dev.flowfn.deploy.control;

import java.time.Instant;
import java.util.Map;

/**
 * A function's log lines, as the API's JSON. {@link Logs} ({@code flowfn.logs}) is the real one.
 * Threads: request threads; may block while it reads.
 */
interface FunctionLogs {

    /**
     * {@code {lines: [...], cursor}}: lines of {@code function} from {@code cursor}, or from {@code
     * since} when the cursor is null; {@code invocation} null means all invocations.
     */
    Map<String, Object> read(String function, Instant since, String invocation, String cursor);
}
