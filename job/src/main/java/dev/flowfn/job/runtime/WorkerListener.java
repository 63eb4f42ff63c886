package dev.flowfn.job.runtime;

import dev.flowfn.job.runtime.protocol.Progress;
import java.util.List;

/**
 * Receives what a {@link WorkerConnection} completes. The function group operator hands these to
 * its mailbox.
 *
 * <p>Threads: both methods are called on the connection's one reader thread, never at once and
 * never from the caller of {@code invoke}. Return quickly: while they run, the connection reads
 * nothing. An exception thrown from them is logged and otherwise ignored.
 */
public interface WorkerListener {

    /**
     * Attempts that finished, in the order their results arrived; every invocation handed to {@link
     * WorkerConnection#invoke} completes exactly once, here.
     */
    void onResults(List<Completion> completions);

    /**
     * A progress report of an outstanding invocation, as it arrives (it is also in the invocation's
     * {@link Completion}); the default ignores it.
     */
    default void onProgress(Progress progress) {}

    /**
     * The worker's session ended; called once, after the completions of all its outstanding and
     * queued invocations ({@link WorkerFailureKind#WORKER_EXITED}).
     */
    void onWorkerExit(WorkerExit exit);
}
