package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Calls System.exit with the status its data says. */
public class Exits implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        System.exit(Integer.parseInt(event.dataAsString()));
        return Result.empty();
    }
}
