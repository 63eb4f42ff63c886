package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import java.util.ArrayList;
import java.util.List;

/** Allocates without bound: a handler that leaks until it runs out of memory. */
public class Hog implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        List<long[]> kept = new ArrayList<>();
        while (true) {
            kept.add(new long[1 << 20]);
        }
    }
}
