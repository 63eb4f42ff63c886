package dev.flowfn.bench.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** The slow neighbour: sleeps {@code SLEEP_MS} (default 1000) per event. */
public final class Sleep implements Handler {
    @Override
    public Result handle(Event event, Context context) throws InterruptedException {
        Thread.sleep(Long.parseLong(context.env("SLEEP_MS").orElse("1000")));
        return Result.empty();
    }
}
