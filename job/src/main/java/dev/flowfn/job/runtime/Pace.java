package dev.flowfn.job.runtime;

/**
 * How fast a function version's invocations run on its workers, from the durations the workers
 * report: {@link #fast} while none of the last {@value #SLOW_MEMORY} took {@value #FAST_LIMIT_US}
 * µs or more (and none failed without a duration: a timeout, an exit).
 *
 * <p>A fast version's workers get more invocations than they run at once ({@link #depth}), so that
 * a worker finishing a batch finds the next one already in its socket instead of waiting a round
 * trip for it. A queued invocation's deadline runs while it waits; pipelining only fast versions
 * keeps that wait to a few milliseconds, and one slow invocation stops it at once.
 *
 * <p>Not thread-safe: the pool's lock guards it.
 */
final class Pace {

    /** An invocation this long or longer makes its version slow. */
    static final long FAST_LIMIT_US = 1_000;

    /** How many fast invocations in a row make a slow version fast again. */
    static final int SLOW_MEMORY = 64;

    /** Invocations outstanding at a worker of a fast version, in multiples of its concurrency. */
    private final int fastDepth;

    private int fastInARow;

    /**
     * @param fastDepth its runtime's {@link WorkerRuntime#fastDepth}
     */
    Pace(int fastDepth) {
        if (fastDepth < 1) {
            throw new IllegalArgumentException("fast depth " + fastDepth + " must be >= 1");
        }
        this.fastDepth = fastDepth;
    }

    /** Counts one finished attempt. */
    void record(Outcome outcome) {
        long us =
                outcome instanceof Outcome.Success ok
                        ? ok.durationUs()
                        : ((Outcome.Failure) outcome).durationUs();
        boolean answered = outcome instanceof Outcome.Success || us > 0;
        if (answered && us < FAST_LIMIT_US) {
            fastInARow = Math.min(fastInARow + 1, SLOW_MEMORY);
        } else {
            fastInARow = 0;
        }
    }

    boolean fast() {
        return fastInARow >= SLOW_MEMORY;
    }

    /** How many invocations a worker running {@code concurrency} at once may have outstanding. */
    int depth(int concurrency) {
        return fast() ? concurrency * fastDepth : concurrency;
    }
}
