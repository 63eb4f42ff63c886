package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Sleeps for the milliseconds its data says (none when empty); returns its thread's name. */
public class ThreadName implements Handler {

    @Override
    public Result handle(Event event, Context context) throws InterruptedException {
        String millis = event.dataAsString();
        if (!millis.isEmpty()) {
            Thread.sleep(Long.parseLong(millis));
        }
        return Result.ok(Thread.currentThread().getName());
    }
}
