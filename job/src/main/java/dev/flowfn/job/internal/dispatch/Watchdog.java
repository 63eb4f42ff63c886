package dev.flowfn.job.internal.dispatch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks the deadlines of running attempts, every {@link #TICK_MILLIS}: one scheduled task per
 * parallel instance instead of a timer per attempt. An attempt past its deadline is handed to
 * {@code expire}, which ends it as timed out. Lane attempts are watched in a set; the one attempt
 * that may run inline on the task thread in a field.
 */
final class Watchdog {

    static final long TICK_MILLIS = 10;

    private final Set<Attempt> watched = ConcurrentHashMap.newKeySet();
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
            watched.add(attempt);
        }
    }

    void unwatch(Attempt attempt) {
        if (attempt.inline) {
            inline = null;
        } else {
            watched.remove(attempt);
        }
    }

    private void check() {
        long now = System.nanoTime();
        Attempt current = inline;
        if (current != null && now - current.deadlineNanos >= 0) {
            expire.accept(current);
        }
        for (Attempt a : watched) {
            if (now - a.deadlineNanos >= 0 && watched.remove(a)) {
                expire.accept(a);
            }
        }
    }
}
