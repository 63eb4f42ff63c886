package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** A handler as small as they come: one log line, one string concatenation, a text result. */
public class Hello implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        context.logger().info("greeting " + event.dataAsString());
        return Result.ok("hello " + event.dataAsString());
    }
}
