package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Who ends an attempt, its runner or the watchdog, and where the watchdog's interrupt goes. */
class AttemptTest {

    private static final AttemptOutcome DONE = AttemptOutcome.notRun(new RuntimeException("done"));
    private static final AttemptOutcome LATE = AttemptOutcome.notRun(new RuntimeException("late"));

    private static Attempt attempt() {
        return new Attempt(null, 1, null, null, Map.of());
    }

    @Test
    void aRunnerThatEndsFirstIsNeverInterrupted() {
        Attempt a = attempt();
        a.runningOn(Thread.currentThread());

        assertThat(a.endByRunner(DONE)).isTrue();
        assertThat(a.endByDeadline(LATE)).isFalse();

        assertThat(Thread.interrupted()).isFalse();
        assertThat(a.outcome()).isSameAs(DONE);
    }

    @Test
    void aLateRunnerFindsTheTimeoutAndItsInterruptCleared() {
        Attempt a = attempt();
        a.runningOn(Thread.currentThread());

        assertThat(a.endByDeadline(LATE)).isTrue();
        assertThat(Thread.currentThread().isInterrupted())
                .as("the handler is interrupted")
                .isTrue();
        assertThat(a.endByRunner(DONE)).isFalse();

        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt does not reach the thread's next work")
                .isFalse();
        assertThat(a.outcome()).isSameAs(LATE);
    }

    @Test
    void racingTheWatchdogEndsEachAttemptOnceAndLeavesNoInterruptBehind() throws Exception {
        int rounds = 50_000;
        AtomicReference<Attempt> current = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger deadlineWins = new AtomicInteger();
        Thread watchdog =
                new Thread(
                        () -> {
                            started.countDown();
                            while (!Thread.currentThread().isInterrupted()) {
                                Attempt a = current.get();
                                if (a != null && a.endByDeadline(LATE)) {
                                    deadlineWins.incrementAndGet();
                                }
                            }
                        });
        watchdog.start();
        started.await();
        int runnerWins = 0;
        int leftInterrupted = 0;
        try {
            for (int i = 0; i < rounds; i++) {
                Attempt a = attempt();
                a.runningOn(Thread.currentThread());
                current.set(a);
                long until = System.nanoTime() + (i % 8) * 300L; // 0-2.1 µs of "handler"
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                if (a.endByRunner(DONE)) {
                    runnerWins++;
                }
                if (Thread.interrupted()) {
                    leftInterrupted++;
                }
            }
        } finally {
            watchdog.interrupt();
            watchdog.join();
        }
        assertThat(leftInterrupted).as("interrupts left on the runner after its end").isZero();
        assertThat(runnerWins + deadlineWins.get()).isEqualTo(rounds);
        assertThat(deadlineWins.get()).as("the watchdog won some of the races").isPositive();
    }
}
