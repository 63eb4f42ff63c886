package dev.flowfn.job.internal.dispatch;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Bounds how many invocations of one function run at once. Work beyond the limit waits in the
 * lane's queue, not on any thread, so a busy function never blocks another. Thread-safe.
 */
final class FunctionLane {

    private final int limit;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    FunctionLane(int limit) {
        this.limit = limit;
    }

    /** Runs {@code start} now (on this thread) if a slot is free, else when one frees up. */
    void submit(Runnable start) {
        synchronized (this) {
            if (running >= limit) {
                waiting.add(start);
                return;
            }
            running++;
        }
        start.run();
    }

    /** Frees the slot taken by a started task; call exactly once per started task. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        next.run();
    }

    synchronized int queued() {
        return waiting.size();
    }
}
