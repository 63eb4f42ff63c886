package dev.flowfn.job.internal.dispatch;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks the deadlines of running attempts, every {@link #TICK_MILLIS}: one scheduled task per
 * parallel instance instead of a timer per attempt. An attempt past its deadline is handed to
 * {@code expire}, which ends it as timed out. The one attempt that may run inline on the task
 * thread is watched in a field; lane and worker attempts in a queue.
 *
 * <p>Watching a lane or worker attempt adds it to the queue; unwatching only marks it, and the next
 * check drops it. So each costs one queue append and one volatile write on the threads that start
 * and end attempts (a worker's reader thread ends thousands a second), where a concurrent set cost
 * a hash, a bin lock and a shared counter for each.
 */
final class Watchdog {

    static final long TICK_MILLIS = 10;

    private final Queue<Attempt> watched = new ConcurrentLinkedQueue<>();
    private final Consumer<Attempt> expire;
    private volatile Attempt inline;

    Watchdog(ScheduledExecutorService scheduler, Consumer<Attempt> expire) {
        this.expire = expire;
        scheduler.scheduleWithFixedDelay(
                this::check, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void watch(Attempt attempt) {
        if (attempt.inline) {
            inline = attempt;
        } else {
            attempt.watched = true;
            watched.add(attempt);
        }
    }

    void unwatch(Attempt attempt) {
        if (attempt.inline) {
            inline = null;
        } else {
            attempt.watched = false;
        }
    }

    /** Attempts in the queue, unwatched ones not yet dropped included. */
    int queued() {
        return watched.size();
    }

    /** On the scheduler's thread only. */
    void check() {
        long now = System.nanoTime();
        Attempt current = inline;
        if (current != null && now - current.deadlineNanos >= 0) {
            expire.accept(current);
        }
        for (Iterator<Attempt> it = watched.iterator(); it.hasNext(); ) {
            Attempt a = it.next();
            if (!a.watched) {
                it.remove();
            } else if (now - a.deadlineNanos >= 0) {
                it.remove();
                a.watched = false;
                expire.accept(a);
            }
        }
    }
}
