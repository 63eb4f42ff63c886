package dev.flowfn.deploy.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import java.util.ArrayList;
import java.util.List;

/** Allocates without bound, as a leak does. */
public class Hog implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        List<long[]> kept = new ArrayList<>();
        while (true) {
            kept.add(new long[1 << 20]);
        }
    }
}
