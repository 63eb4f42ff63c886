package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    /** Its one thread stays busy, so it never runs the checks: the test calls them itself. */
    private final ScheduledExecutorService idle = busy();

    private final List<Attempt> expired = new ArrayList<>();
    private final Watchdog watchdog = new Watchdog(idle, expired::add);

    private static ScheduledExecutorService busy() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        s.execute(
                () -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        // the test is over
                    }
                });
        return s;
    }

    @AfterEach
    void stop() {
        idle.shutdownNow();
    }

    @Test
    void expiresAWatchedAttemptPastItsDeadlineOnce() {
        Attempt late = attempt(-1_000_000);
        Attempt early = attempt(60_000_000_000L);
        watchdog.watch(late);
        watchdog.watch(early);
        watchdog.check();
        watchdog.check();
        assertThat(expired).containsExactly(late);
        assertThat(watchdog.queued()).isEqualTo(1);
    }

    @Test
    void neverExpiresAnUnwatchedAttemptAndDropsItAtTheNextCheck() {
        Attempt done = attempt(-1_000_000);
        watchdog.watch(done);
        watchdog.unwatch(done);
        assertThat(watchdog.queued()).isEqualTo(1);
        watchdog.check();
        assertThat(expired).isEmpty();
        assertThat(watchdog.queued()).isZero();
    }

    @Test
    void anAttemptWatchedAgainIsExpiredOnce() {
        Attempt again = attempt(-1_000_000);
        watchdog.watch(again);
        watchdog.unwatch(again);
        watchdog.watch(again);
        watchdog.check();
        assertThat(expired).containsExactly(again);
        assertThat(watchdog.queued()).isZero();
    }

    @Test
    void keepsOnlyWhatIsStillWatchedAfterManyEnded() {
        List<Attempt> running = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Attempt a = attempt(60_000_000_000L);
            watchdog.watch(a);
            if (i % 100 == 0) {
                running.add(a);
            } else {
                watchdog.unwatch(a);
            }
        }
        watchdog.check();
        assertThat(watchdog.queued()).isEqualTo(running.size());
        running.forEach(a -> a.deadlineNanos = System.nanoTime() - 1);
        watchdog.check();
        assertThat(expired).containsExactlyElementsOf(running);
    }

    private static Attempt attempt(long deadlineFromNowNanos) {
        Attempt a = Attempt.onWorker(null, 1, Map.of());
        a.deadlineNanos = System.nanoTime() + deadlineFromNowNanos;
        return a;
    }
}
