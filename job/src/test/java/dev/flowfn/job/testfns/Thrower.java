package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Logs a line, then throws on every event. */
public class Thrower implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        context.logger().warn("about to fail on " + event.dataAsString());
        throw new IllegalStateException("boom on " + event.dataAsString());
    }
}
