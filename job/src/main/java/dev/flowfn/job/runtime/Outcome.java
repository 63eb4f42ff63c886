package dev.flowfn.job.runtime;

import java.util.Map;
import java.util.Objects;

/** How one attempt run by a worker ended: a {@link Success} or a {@link Failure}. */
public sealed interface Outcome permits Outcome.Success, Outcome.Failure {

    /**
     * The handler's result.
     *
     * @param contentType or null
     * @param status HTTP status for HTTP triggers (200 by default)
     * @param data the result's bytes, not copied
     * @param durationUs how long the handler ran, as the worker measured it
     */
    record Success(
            String contentType,
            int status,
            Map<String, String> headers,
            byte[] data,
            long durationUs)
            implements Outcome {

        public Success {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * The attempt failed.
     *
     * @param stack the handler's stack, or null
     * @param durationUs as the worker measured it; 0 when the worker did not answer
     */
    record Failure(WorkerFailureKind kind, String message, String stack, long durationUs)
            implements Outcome {

        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }
}
