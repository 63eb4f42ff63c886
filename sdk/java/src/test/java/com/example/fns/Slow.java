package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import java.util.concurrent.atomic.AtomicInteger;

/** Sleeps for the milliseconds its data says; returns how many ran at once at most so far. */
public class Slow implements Handler {

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @Override
    public Result handle(Event event, Context context) throws InterruptedException {
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        context.logger().info("started");
        try {
            Thread.sleep(Long.parseLong(event.dataAsString()));
        } finally {
            running.decrementAndGet();
        }
        return Result.ok(Integer.toString(peak.get()));
    }
}
