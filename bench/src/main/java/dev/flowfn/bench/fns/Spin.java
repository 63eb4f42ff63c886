package dev.flowfn.bench.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/**
 * A handler with real work: busy-spins {@link #MICROS} µs per event on {@link System#nanoTime()}
 * (no sleep, the thread stays on its core), then returns an empty result. The bare baseline job's
 * map calls the same {@link #work()}. JDK and functions API only.
 */
public final class Spin implements Handler {

    /** Work per event, in µs. */
    public static final long MICROS = 50;

    @Override
    public Result handle(Event event, Context context) {
        work();
        return Result.empty();
    }

    /** Spins {@link #MICROS} µs on the calling thread. */
    public static void work() {
        long end = System.nanoTime() + MICROS * 1_000;
        while (System.nanoTime() < end) {
            // burn the core: this is the work
        }
    }
}
