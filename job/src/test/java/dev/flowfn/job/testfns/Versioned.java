package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Answers with the function version and its GREETING env var: shows which version ran. */
public class Versioned implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        context.logger().info("v" + context.functionVersion() + " handling " + event.id());
        return Result.ok(context.env("GREETING").orElse("hi") + " v" + context.functionVersion());
    }
}
