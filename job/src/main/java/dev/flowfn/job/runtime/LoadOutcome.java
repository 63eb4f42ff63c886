package dev.flowfn.job.runtime;

import java.util.Objects;

/**
 * The answer to a {@code LOAD}: loaded in {@code loadUs}, or failed with a kind ({@code CODE_LOAD}:
 * the code is at fault; {@code WORKER_EXITED}: the worker went away first) and a message that names
 * the fix.
 *
 * @param failure null when loaded
 * @param message null when loaded
 */
public record LoadOutcome(
        String function, int version, long loadUs, WorkerFailureKind failure, String message) {

    public LoadOutcome {
        Objects.requireNonNull(function, "function");
        if ((failure == null) != (message == null)) {
            throw new IllegalArgumentException("a failed load has a kind and a message");
        }
    }

    public boolean loaded() {
        return failure == null;
    }
}
