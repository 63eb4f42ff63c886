package dev.flowfn.job.runtime;

/**
 * Why an attempt run by a worker failed, as the job side of the runtime seam sees it. The function
 * group operator maps these to the platform's {@code FailureKind} (a {@link #WORKER_EXITED} of an
 * attempt whose deadline passed is its {@code TIMEOUT}).
 */
public enum WorkerFailureKind {
    /** The code did not load ({@code LOAD_FAILED}). */
    CODE_LOAD,
    /** The worker has not loaded the version, or its load failed. */
    UNKNOWN_FUNCTION,
    /** The handler threw. */
    HANDLER_ERROR,
    /** The handler returned a value that is not a result. */
    BAD_RESULT,
    /**
     * The worker process exited, was killed or broke the protocol while the attempt was outstanding
     * (or before it was sent); the message has the exit code.
     */
    WORKER_EXITED,
    /**
     * The worker ran out of the memory it was given: it exited with status {@value
     * WorkerExits#OUT_OF_MEMORY_STATUS} (a JVM with {@code -XX:+ExitOnOutOfMemoryError}, the Java
     * and Python workers), or Node.js reported its heap limit on stderr.
     */
    OUT_OF_MEMORY,
    /** No worker could be started for the attempt (the runtime's program is missing or broke). */
    WORKER_START,
    /**
     * The server of an {@code http} function did not answer with a result: unreachable, a status
     * other than 200, or frames that break the protocol.
     */
    REMOTE_ERROR;

    /**
     * The kind of a worker's {@code RESULT ok=false}; a kind this job does not know (from a newer
     * worker) counts as {@link #HANDLER_ERROR}.
     */
    static WorkerFailureKind ofWire(String kind) {
        return switch (kind) {
            case "UNKNOWN_FUNCTION" -> UNKNOWN_FUNCTION;
            case "BAD_RESULT" -> BAD_RESULT;
            case "CODE_LOAD" -> CODE_LOAD;
            default -> HANDLER_ERROR;
        };
    }
}
