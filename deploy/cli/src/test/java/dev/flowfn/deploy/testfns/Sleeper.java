package dev.flowfn.deploy.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Sleeps 5 s: past any short timeout. */
public class Sleeper implements Handler {
    @Override
    public Result handle(Event event, Context context) throws Exception {
        Thread.sleep(5_000);
        return Result.ok("woke up");
    }
}
