package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/**
 * Does what its event says, then echoes it: {@code spin:<µs>} busy-spins until that much wall time
 * has passed (as a short computation does), {@code sleep:<ms>} sleeps.
 */
public class Busy implements Handler {
    @Override
    public Result handle(Event event, Context context) throws Exception {
        String what = event.dataAsString();
        long amount = Long.parseLong(what.substring(what.indexOf(':') + 1));
        if (what.startsWith("spin:")) {
            long until = System.nanoTime() + amount * 1_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        } else if (what.startsWith("sleep:")) {
            Thread.sleep(amount);
        } else {
            throw new IllegalArgumentException("spin:<µs> or sleep:<ms>, not " + what);
        }
        return Result.ok(what);
    }
}
