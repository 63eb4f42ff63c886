package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/**
 * Busy-spins until the microseconds of wall time its data says have passed (as a short computation
 * does, cut off or not); returns its thread's name.
 */
public class Spin implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        long until = System.nanoTime() + Long.parseLong(event.dataAsString()) * 1_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return Result.ok(Thread.currentThread().getName());
    }
}
