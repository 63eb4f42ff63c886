package dev.flowfn.job.internal.dispatch;

import dev.flowfn.job.internal.code.LoadedFunction;
import dev.flowfn.job.runtime.WorkerPool;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One attempt of an {@link Invocation}: made on the task thread, run there (inline) or on a lane
 * thread, and ended exactly once, by whoever comes first: the handler returning or throwing, or the
 * {@link Watchdog} at its deadline, decided by one compare-and-set of its outcome. The watchdog,
 * when it wins, interrupts the thread running the handler and then says so; a runner that lost
 * waits for that word and clears the interrupt, so an interrupt meant for a late handler never
 * reaches the next work of that thread. No lock: a handler that returns in time costs one
 * compare-and-set.
 */
final class Attempt {

    final Invocation invocation;
    final int number;

    /** The loaded code, or the load still under way (then the lane thread waits for it). */
    final CompletableFuture<LoadedFunction> code;

    /** When it was made (queued in its lane or for a worker); 0 when it runs inline at once. */
    final long madeNanos;

    /** Set when the attempt starts running. */
    volatile long deadlineNanos = Long.MAX_VALUE;

    volatile InvocationContext context;
    volatile long startNanos;
    volatile long startMicros;

    /** The lane it runs in; null when it runs inline on the task thread. */
    final Lane lane;

    /** Whether it runs on the task thread (inline) rather than a lane or a worker. */
    final boolean inline;

    /** Whether it runs in a worker process rather than in this JVM. */
    final boolean onWorker;

    /** Whether the {@link Watchdog} watches its deadline (lane and worker attempts). */
    volatile boolean watched;

    /** Whether its worker's progress reports were published as they came. */
    volatile boolean progressSeenLive;

    /** The worker running it, once handed over; a missed deadline kills it. */
    volatile WorkerPool.Worker worker;

    /** The environment the handler sees. */
    final Map<String, String> env;

    /**
     * The thread running the handler. Set before the attempt is watched, so the watchdog, which
     * finds the attempt through a volatile or concurrent-queue write made after it, sees it.
     */
    private Thread runner;

    private final AtomicReference<AttemptOutcome> outcome = new AtomicReference<>();

    /** Set by the watchdog once it ended the attempt and interrupted its runner. */
    private volatile boolean deadlineDone;

    /** Set instead of an outcome when the code could not be loaded. */
    volatile Throwable loadError;

    Attempt(
            Invocation invocation,
            int number,
            CompletableFuture<LoadedFunction> code,
            Lane lane,
            Map<String, String> env) {
        this(invocation, number, code, lane, env, false);
    }

    private Attempt(
            Invocation invocation,
            int number,
            CompletableFuture<LoadedFunction> code,
            Lane lane,
            Map<String, String> env,
            boolean onWorker) {
        this.invocation = invocation;
        this.number = number;
        this.code = code;
        this.lane = lane;
        this.inline = lane == null && !onWorker;
        this.madeNanos = inline ? 0 : System.nanoTime();
        this.onWorker = onWorker;
        this.env = env;
    }

    /** An attempt to run in a worker process. */
    static Attempt onWorker(Invocation invocation, int number, Map<String, String> env) {
        return new Attempt(invocation, number, null, null, env, true);
    }

    /** Before the attempt is watched: the thread that runs the handler. */
    void runningOn(Thread thread) {
        runner = thread;
    }

    /**
     * Ends the attempt with what the handler did, unless the watchdog ended it first; then clears
     * the interrupt the watchdog sent this thread, once it was sent. Returns whether this call
     * ended it.
     */
    boolean endByRunner(AttemptOutcome result) {
        if (outcome.compareAndSet(null, result)) {
            return true;
        }
        while (!deadlineDone) { // the watchdog is between its win and the interrupt: a moment
            Thread.onSpinWait();
        }
        Thread.interrupted();
        return false;
    }

    /** Ends the attempt as timed out and interrupts its thread, unless it already ended. */
    boolean endByDeadline(AttemptOutcome timedOut) {
        if (!outcome.compareAndSet(null, timedOut)) {
            return false;
        }
        Thread r = runner;
        if (r != null) {
            r.interrupt();
        }
        deadlineDone = true;
        return true;
    }

    /** Ends the attempt with what its worker answered, unless the watchdog ended it first. */
    boolean endByWorker(AttemptOutcome result) {
        return outcome.compareAndSet(null, result);
    }

    /** Ends an attempt whose code failed to load: it never ran. */
    boolean endByLoadFailure(Throwable error) {
        loadError = error;
        return endByRunner(AttemptOutcome.notRun(error));
    }

    AttemptOutcome outcome() {
        return outcome.get();
    }
}
