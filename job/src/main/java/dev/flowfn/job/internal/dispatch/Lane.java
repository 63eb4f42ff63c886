package dev.flowfn.job.internal.dispatch;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Where the attempts of one function version run when they are not run inline: on the shared
 * handler threads, at most the function's concurrency at once. Attempts beyond it wait in the
 * lane's queue, not on any thread, so a busy function holds back no other. Thread-safe.
 */
final class Lane {

    private final int limit;
    private final Executor threads;
    private final Consumer<Attempt> run;
    private final Queue<Attempt> waiting = new ArrayDeque<>();
    private int running;

    Lane(int limit, Executor threads, Consumer<Attempt> run) {
        this.limit = Math.max(1, limit);
        this.threads = threads;
        this.run = run;
    }

    /** Runs the attempt on a handler thread once a slot of the lane is free. */
    void submit(Attempt attempt) {
        synchronized (this) {
            if (running >= limit) {
                waiting.add(attempt);
                return;
            }
            running++;
        }
        start(attempt);
    }

    /** Frees the slot of an attempt that ended; exactly once per attempt that ran. */
    void release() {
        Attempt next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        start(next);
    }

    /**
     * Hands the attempt to a handler thread. Once the job stops, the threads take no more: the
     * attempt is left, as every one in flight, to the checkpoint it is part of.
     */
    private void start(Attempt attempt) {
        try {
            threads.execute(() -> run.accept(attempt));
        } catch (RejectedExecutionException stopping) {
            synchronized (this) {
                running--;
            }
        }
    }
}
