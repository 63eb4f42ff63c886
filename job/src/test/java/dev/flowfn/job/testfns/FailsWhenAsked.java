package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/**
 * Throws on an event whose data is {@code fail}, calls {@code System.exit(3)} on {@code exit}, and
 * returns any other data at once, upper-cased: fast enough to run inline until asked to fail.
 */
public class FailsWhenAsked implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        String data = event.dataAsString();
        if (data.equals("fail")) {
            throw new IllegalStateException("asked to fail");
        }
        if (data.equals("exit")) {
            System.exit(3);
        }
        return Result.ok(data.toUpperCase());
    }
}
