package dev.flowfn.job.internal.dispatch;

/**
 * Decides, per function version, whether its attempts run inline on the task thread: only once a
 * run of {@link #PROMOTE_AFTER} attempts in a row each took under {@link #FAST_MICROS}; one inline
 * attempt over {@link #SLOW_MICROS} moves it back to its lane. A function never measured runs in
 * its lane, so a blocking handler holds up no other function. Task thread only.
 */
final class InlinePolicy {

    static final long FAST_MICROS = 200;
    static final long SLOW_MICROS = 2_000;
    static final int PROMOTE_AFTER = 64;

    private int fastInARow;
    private boolean inline;
    private final boolean allowed;

    /**
     * @param allowed whether this version may run inline at all
     */
    InlinePolicy(boolean allowed) {
        this.allowed = allowed;
    }

    boolean inline() {
        return inline;
    }

    void record(long durationMicros, boolean ranInline) {
        if (ranInline) {
            if (durationMicros > SLOW_MICROS) {
                inline = false;
                fastInARow = 0;
            }
            return;
        }
        if (durationMicros < FAST_MICROS) {
            if (++fastInARow >= PROMOTE_AFTER && allowed) {
                inline = true;
            }
        } else {
            fastInARow = 0;
        }
    }
}
