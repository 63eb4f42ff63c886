package dev.flowfn.job.internal.dispatch;

/**
 * Microseconds since the epoch for a {@link System#nanoTime} reading, from a wall-clock base read
 * again every {@value #REBASE_MILLIS} ms: an attempt's start costs one clock read instead of two
 * (with one more read spared, scenario 6's time per event fell by about 9%). Between two bases the
 * figure follows the monotonic clock, so a wall-clock step shows at the next base, within {@value
 * #REBASE_MILLIS} ms. Any thread.
 */
final class EpochClock {

    static final long REBASE_MILLIS = 100;
    private static final long REBASE_NANOS = REBASE_MILLIS * 1_000_000L;

    /**
     * Up to this many tries to read the wall clock between two monotonic readings this close
     * together; a thread preempted between them would otherwise put its pause into every figure
     * until the next base.
     */
    private static final int BASE_TRIES = 5;

    private static final long TIGHT_NANOS = 50_000;

    /** A wall-clock reading and the monotonic one taken at the same moment. */
    private record Base(long nanos, long micros) {

        /** The reading with the narrowest monotonic window of a few tries, at its midpoint. */
        static Base read() {
            long bestWindow = Long.MAX_VALUE;
            Base best = null;
            for (int i = 0; i < BASE_TRIES && bestWindow > TIGHT_NANOS; i++) {
                long before = System.nanoTime();
                long micros = Outcomes.epochMicros();
                long window = System.nanoTime() - before;
                if (window < bestWindow) {
                    bestWindow = window;
                    best = new Base(before + window / 2, micros);
                }
            }
            return best;
        }
    }

    private static volatile Base base = Base.read();

    /** {@code nanos} (a {@link System#nanoTime} reading of about now) as epoch microseconds. */
    static long micros(long nanos) {
        Base b = base;
        if (nanos - b.nanos >= REBASE_NANOS) {
            b = Base.read();
            base = b; // a race between two threads leaves either base: both are right
        }
        return b.micros + (nanos - b.nanos) / 1_000;
    }

    private EpochClock() {}
}
