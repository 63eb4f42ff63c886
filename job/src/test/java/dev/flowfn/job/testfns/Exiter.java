package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Calls System.exit(7): what a hostile or careless handler does. */
public class Exiter implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        System.exit(7);
        return Result.empty();
    }
}
