package dev.flowfn.deploy.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Calls System.exit(1): a handler that would stop a JVM it shared. */
public class Exits implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        System.exit(1);
        return Result.empty();
    }
}
