package dev.flowfn.deploy.control;

import dev.flowfn.schemas.Event;
import java.util.concurrent.CompletableFuture;

/**
 * Where invocations, HTTP requests and bucket notifications are published as events. The real one
 * is {@link dev.flowfn.kafka.EventPublisher#publish} ({@code flowfn.events}).
 *
 * <p>Threads: {@link #publish} is called from request threads; the future completes on the sink's
 * own I/O thread, so whoever chains on it must not block.
 */
@FunctionalInterface
interface EventSink {

    /** Publishes the event; completes when it is durably accepted, or fails with the reason. */
    CompletableFuture<Void> publish(Event event);
}
