package dev.flowfn.bench.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import java.time.Instant;

/**
 * A function that does nothing but answer when its event was made and when its call started, as
 * {@code "<event time>,<start>"} in epoch microseconds: the HTTP scenario splits each request's
 * latency there (for an HTTP request the gateway sets the event's time when it takes the request;
 * the harness and the platform share this machine's clock). JDK and functions API only.
 */
public final class StartTime implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        long start = micros(Instant.now());
        return Result.ok(micros(event.time()) + "," + start);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
