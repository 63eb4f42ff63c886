package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** A batch job: STEPS steps of STEP_MS each (default 10 x 1 s), reporting progress after each. */
public class SlowBatch implements Handler {
    @Override
    public Result handle(Event event, Context context) throws Exception {
        int steps = Integer.parseInt(context.env("STEPS").orElse("10"));
        long stepMs = Long.parseLong(context.env("STEP_MS").orElse("1000"));
        for (int i = 1; i <= steps; i++) {
            Thread.sleep(stepMs);
            context.progress((double) i / steps, "step " + i + " of " + steps);
        }
        return Result.ok("done after " + steps + " steps");
    }
}
