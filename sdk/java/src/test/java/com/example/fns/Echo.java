package com.example.fns;

import com.example.lib.Shout;
import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;
import java.nio.charset.StandardCharsets;

/**
 * Logs, reports progress, emits an event and a record, and returns what it saw of the event and the
 * context, one {@code key=value} per line, with the data shouted by a class of another jar.
 */
public class Echo implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        String text = event.dataAsString();
        context.logger().info("got " + text);
        context.logger().warn("careful");
        context.progress(0.5, "half way");
        context.progress("almost");
        context.emit(OutgoingEvent.json("echo.done", event.subject().orElse(null), "{\"n\":1}"));
        context.emit(OutgoingEvent.record("readings", "k-" + text, event.data()));
        String seen =
                "function="
                        + context.functionName()
                        + "\nversion="
                        + context.functionVersion()
                        + "\ninvocation="
                        + context.invocationId()
                        + "\nattempt="
                        + context.attempt()
                        + "\nmemory="
                        + context.memoryMb()
                        + "\ndeadline="
                        + context.deadline().toEpochMilli()
                        + "\ngreeting="
                        + context.env("GREETING").orElse("-")
                        + "\nevent="
                        + event.id()
                        + " "
                        + event.source()
                        + " "
                        + event.type()
                        + " "
                        + event.subject().orElse("-")
                        + " "
                        + event.time().toEpochMilli()
                        + " "
                        + event.dataContentType().orElse("-")
                        + " "
                        + event.extensions()
                        + "\ndata="
                        + Shout.shout(text);
        return Result.ok(seen.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8")
                .withStatus(201)
                .withHeader("x-echo", "yes");
    }
}
