package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import java.io.IOException;

/** Logs, then throws (with a cause). */
public class Fails implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        context.logger().info("about to fail");
        throw new IllegalStateException(
                "bad input " + event.dataAsString(), new IOException("disk gone"));
    }
}
