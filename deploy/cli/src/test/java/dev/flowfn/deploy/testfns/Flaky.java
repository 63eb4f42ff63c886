package dev.flowfn.deploy.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Fails on events whose data says "fail", answers "ok" otherwise. */
public class Flaky implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        if (event.dataAsString().contains("fail")) {
            throw new IllegalStateException("asked to fail");
        }
        return Result.ok("ok");
    }
}
