package dev.flowfn.job.internal.dispatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    /**
     * The inline attempt, written with release stores and read with acquire loads: no store fence
     * on the task thread per attempt. A check that still finds an attempt just ended finds its
     * outcome set, and its expiry does nothing; one that misses an attempt just started sees it at
     * the next tick.
     */
    @SuppressWarnings("unused") // through INLINE
    private Attempt inline;

    private static final VarHandle INLINE;

    static {
        try {
            INLINE = MethodHandles.lookup().findVarHandle(Watchdog.class, "inline", Attempt.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Watchdog(ScheduledExecutorService scheduler, Consumer<Attempt> expire) {
        this.expire = expire;
        scheduler.scheduleWithFixedDelay(
                this::check, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void watch(Attempt attempt) {
        if (attempt.inline) {
            INLINE.setRelease(this, attempt);
        } else {
            attempt.watched = true;
            watched.add(attempt);
        }
    }

    void unwatch(Attempt attempt) {
        if (attempt.inline) {
            INLINE.setRelease(this, (Attempt) null);
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
        Attempt current = (Attempt) INLINE.getAcquire(this);
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
