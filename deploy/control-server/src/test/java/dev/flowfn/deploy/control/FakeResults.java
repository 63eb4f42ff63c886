package dev.flowfn.deploy.control;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.InvocationResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An {@link EventSink} and {@link ResultSource} in one: records published events and, if told how,
 * answers each with a result at once (as a job would). {@link #failPublishing} makes the sink fail.
 */
final class FakeResults implements EventSink, ResultSource {

    final List<Event> published = new CopyOnWriteArrayList<>();
    final Map<String, CompletableFuture<InvocationResult>> waiting = new ConcurrentHashMap<>();
    final Map<String, InvocationResult> recent = new ConcurrentHashMap<>();
    private volatile Function<Event, InvocationResult> job;
    private volatile Throwable publishFailure;

    /** Answers every published event with {@code job}'s result. */
    FakeResults answering(Function<Event, InvocationResult> job) {
        this.job = job;
        return this;
    }

    void failPublishing(Throwable failure) {
        this.publishFailure = failure;
    }

    @Override
    public CompletableFuture<Void> publish(Event event) {
        if (publishFailure != null) {
            return CompletableFuture.failedFuture(publishFailure);
        }
        published.add(event);
        if (job != null) {
            InvocationResult result = job.apply(event);
            CompletableFuture<InvocationResult> waiter = waiting.remove(event.getId());
            if (waiter != null) {
                waiter.complete(result);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<InvocationResult> expect(String invocationId) {
        return waiting.computeIfAbsent(invocationId, id -> new CompletableFuture<>());
    }

    @Override
    public void forget(String invocationId) {
        waiting.remove(invocationId);
    }

    @Override
    public Optional<InvocationResult> recent(String invocationId) {
        return Optional.ofNullable(recent.get(invocationId));
    }
}
