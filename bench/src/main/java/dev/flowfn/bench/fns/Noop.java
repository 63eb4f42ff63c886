package dev.flowfn.bench.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/**
 * The no-op function of the throughput scenarios: returns an empty result. JDK and functions API
 * only.
 */
public final class Noop implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        return Result.empty();
    }
}
