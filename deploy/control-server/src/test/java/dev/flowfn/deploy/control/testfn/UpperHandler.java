package dev.flowfn.deploy.control.testfn;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** A function for deploy tests: its class file goes into jars built by {@code TestJars}. */
public final class UpperHandler implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        return Result.ok("upper");
    }
}
