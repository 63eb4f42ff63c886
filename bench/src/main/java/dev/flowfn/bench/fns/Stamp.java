package dev.flowfn.bench.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Records when the handler started: answers {@code "<sent>,<start>"} where {@code sent} is the
 * event's data up to its first space (the benchmark writes the send time there, in epoch
 * microseconds) and {@code start} is this call's start, in epoch microseconds. The job has no hook
 * that reports handler start times per event, so the function reports its own.
 */
public final class Stamp implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        Instant now = Instant.now();
        long start = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        byte[] data = event.data();
        int end = 0;
        while (end < data.length && end < 24 && data[end] != ' ') {
            end++;
        }
        return Result.ok(new String(data, 0, end, StandardCharsets.US_ASCII) + "," + start);
    }
}
