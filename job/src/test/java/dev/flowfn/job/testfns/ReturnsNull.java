package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Returns null, which the API forbids. */
public class ReturnsNull implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        return null;
    }
}
