package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Returns null, which is not a result. */
public class ReturnsNull implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        return null;
    }
}
