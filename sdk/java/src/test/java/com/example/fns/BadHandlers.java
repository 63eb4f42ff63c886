package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;

/** Classes a LOAD must refuse, each with a message that names the fix. */
public final class BadHandlers {

    private BadHandlers() {}

    /** Not a Handler. */
    public static class NotAHandler {}

    /** No public no-arg constructor. */
    public static class NeedsArgs implements Handler {
        public NeedsArgs(String config) {}

        @Override
        public Result handle(Event event, Context context) {
            return Result.empty();
        }
    }

    /** Its constructor throws. */
    public static class ThrowsInConstructor implements Handler {
        public ThrowsInConstructor() {
            throw new IllegalArgumentException("THUMB_SIZE is not set");
        }

        @Override
        public Result handle(Event event, Context context) {
            return Result.empty();
        }
    }

    /** Not public. */
    static class Hidden implements Handler {
        @Override
        public Result handle(Event event, Context context) {
            return Result.empty();
        }
    }

    /** Abstract. */
    public abstract static class Unfinished implements Handler {}
}
