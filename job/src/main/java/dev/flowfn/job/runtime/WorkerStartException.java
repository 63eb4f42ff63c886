package dev.flowfn.job.runtime;

import java.io.IOException;

/**
 * A worker did not start: its program is missing, it exited or it did not say HELLO in time. The
 * message says which, with the tail of the worker's stderr, and names the fix where there is one.
 */
public final class WorkerStartException extends IOException {
    private static final long serialVersionUID = 1L;

    public WorkerStartException(String message) {
        super(message);
    }

    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
