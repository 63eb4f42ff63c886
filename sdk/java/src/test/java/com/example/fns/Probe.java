package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/**
 * Reports what its class loader shows: each class named in the data (one per line) as {@code
 * name=visible} or {@code name=hidden}, then who loaded this class and whether that is the thread's
 * context class loader.
 */
public class Probe implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        StringBuilder b = new StringBuilder();
        for (String name : event.dataAsString().split("\n")) {
            b.append(name).append('=').append(visible(name) ? "visible" : "hidden").append('\n');
        }
        ClassLoader own = getClass().getClassLoader();
        b.append("loader=").append(own.getName()).append('\n');
        b.append("contextLoader=")
                .append(Thread.currentThread().getContextClassLoader() == own ? "own" : "other")
                .append('\n');
        b.append("api=")
                .append(Handler.class.getClassLoader() == own ? "own copy" : "shared")
                .append('\n');
        return Result.ok(b.toString());
    }

    private boolean visible(String name) {
        try {
            Class.forName(name, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
