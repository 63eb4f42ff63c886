package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Loops without end (until interrupted): a handler that overruns any timeout. */
public class Spinner implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        long n = 0;
        while (!Thread.currentThread().isInterrupted()) {
            n++;
            if ((n & 0xFFFFF) == 0) {
                Thread.onSpinWait();
            }
        }
        return Result.ok("interrupted after " + n);
    }
}
