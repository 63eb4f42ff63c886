package dev.flowfn.job.internal.dispatch;

/**
 * How long an inline run took by its own doing: its wall time less the time the task thread waited
 * for a core meanwhile ({@link RunqueueWait}). On a machine whose cores are all busy, the scheduler
 * cuts a running thread off for a few milliseconds at a time; judged by wall time, a 50 µs handler
 * then looks slow, leaves the task thread for its lane and runs there, with a thread hand-off per
 * event, until it has been measured fast 64 times again. Computing, sleeping, blocking and waiting
 * for a lock all count; only waiting for a core does not.
 *
 * <p>Reading the wait costs about a microsecond, so it is read at a mark before a run, at most
 * every {@value #MARK_EVERY_NANOS} ns while runs follow each other closely (and before the first
 * run after a pause, when the thread may have waited for input), and again only after a run whose
 * wall time reaches the limit. What the thread did between the mark and the run counts as the run's
 * own: the judgement errs towards slow.
 *
 * <p>Task thread only.
 */
final class OwnTime {

    /** Longest time between marks while runs follow each other closely. */
    static final long MARK_EVERY_NANOS = 500_000;

    /** A pause between runs after which the next one takes a new mark. */
    static final long PAUSE_NANOS = 50_000;

    private RunqueueWait wait;
    private long markNanos;
    private long markWait = -1;
    private long lastEndNanos;

    /** Before an inline run that starts at {@code startNanos} ({@link System#nanoTime}). */
    void beforeRun(long startNanos) {
        if (wait == null || !wait.ofCurrent()) {
            close();
            wait = RunqueueWait.ofCurrentThread();
            markWait = -1;
        }
        if (markWait < 0
                || startNanos - markNanos > MARK_EVERY_NANOS
                || startNanos - lastEndNanos > PAUSE_NANOS) {
            markWait = wait.nanos();
            markNanos = System.nanoTime();
        }
    }

    /**
     * The run that just ended: its own time in microseconds, or its wall time when that is under
     * {@code limitMicros} (then nothing is read).
     */
    long micros(long wallMicros, long limitMicros) {
        long endNanos = System.nanoTime();
        lastEndNanos = endNanos;
        if (wallMicros < limitMicros || markWait < 0) {
            return wallMicros;
        }
        long waitedNanos = wait.nanos() - markWait;
        if (waitedNanos < 0) {
            return wallMicros;
        }
        // from the mark, taken after reading the wait: a cut-off before it is not counted, nor is
        // the read itself when the mark came just before the run
        long ownSinceMark = (endNanos - markNanos - waitedNanos) / 1_000;
        return Math.max(0, Math.min(wallMicros, ownSinceMark));
    }

    /** Closes the file it reads; a later run opens it again. */
    void close() {
        if (wait != null) {
            wait.close();
            wait = null;
        }
    }
}
