package dev.flowfn.job.internal.dispatch;

/**
 * What dispatch reports per function, for live metrics (Prometheus). Called from the task thread
 * and from handler (lane) threads: implementations must be thread-safe.
 */
public interface DispatchMetrics {

    DispatchMetrics NONE = new DispatchMetrics() {};

    /**
     * An attempt started after waiting {@code queueWaitMicros} for a slot of the function's lane.
     */
    default void started(String function, long queueWaitMicros) {}

    /** An attempt ended. */
    default void finished(String function, long durationMicros, boolean success) {}

    /**
     * An attempt ran inline on the task thread, with no wait, and ended: {@link #started} with no
     * wait and {@link #finished} in one call, for the path where each of them costs.
     */
    default void ranInline(String function, long durationMicros, boolean success) {
        started(function, 0);
        finished(function, durationMicros, success);
    }

    /** A failed attempt will be retried. */
    default void retried(String function) {}

    /** An invocation failed for good and went to the dead-letter topic. */
    default void deadLettered(String function) {}
}
