package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Sleeps SLEEP_MS (default 1000) per event, then echoes it. */
public class Sleepy implements Handler {
    @Override
    public Result handle(Event event, Context context) throws Exception {
        Thread.sleep(Long.parseLong(context.env("SLEEP_MS").orElse("1000")));
        return Result.ok(event.dataAsString());
    }
}
