package dev.flowfn.job.testfns;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;

/**
 * Sleeps SLEEP_MS (default 0), then emits the event's data to the topic TOPIC under the event's
 * subject (its Kafka key): one key's outputs land on one partition, in the order they were made.
 */
public class KeyedEcho implements Handler {
    @Override
    public Result handle(Event event, Context context) throws Exception {
        Thread.sleep(Long.parseLong(context.env("SLEEP_MS").orElse("0")));
        String topic = context.env("TOPIC").orElseThrow(() -> new IllegalStateException("TOPIC"));
        context.emit(OutgoingEvent.record(topic, event.subject().orElse(""), event.data()));
        return Result.empty();
    }
}
