package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;

/** Emits the event's data to the topic named by env TOPIC. */
public class EmitTo implements Handler {
    @Override
    public Result handle(Event event, Context context) {
        String topic = context.env("TOPIC").orElseThrow(() -> new IllegalStateException("TOPIC"));
        context.emit(OutgoingEvent.record(topic, null, event.data()));
        return Result.ok("sent");
    }
}
