package com.example.fns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;

/**
 * Leaves a thread behind that, once the handler has returned, tries to emit, then logs what that
 * did (both too late).
 */
public class LateEmitter implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        Thread late =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(200);
                                context.emit(OutgoingEvent.json("late", null, "{}"));
                                context.logger().error("the late emit went through");
                            } catch (IllegalStateException e) {
                                context.logger().warn("late emit refused: " + e.getMessage());
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        late.start();
        return Result.ok("returned");
    }
}
