package dev.flowfn.deploy.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Reports the tick it runs for as progress and answers with its scheduled time. */
public class Ticker implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        context.progress("tick " + event.time());
        return Result.ok(event.time().toString());
    }
}
