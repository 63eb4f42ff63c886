package dev.flowfn.deploy.control;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionAddress;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventSources;
import dev.flowfn.schemas.contract.EventTypes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Direct invocations: an event addressed to one function (extension {@code flowfntarget}) on {@code
 * flowfn.events}, and its committed result from {@code flowfn.results}. The invocation id is the
 * event id. The wait covers every attempt the retry policy allows, plus a slack for the checkpoint
 * that commits the result.
 *
 * <p>Threads: request threads; the futures complete on the sink's or the result source's thread.
 */
final class Invocations {

    private final EventSink publisher;
    private final ResultSource results;
    private final Duration slack;

    Invocations(EventSink publisher, ResultSource results, Duration slack) {
        this.publisher = publisher;
        this.results = results;
        this.slack = slack;
    }

    /** Publishes the invocation and completes with its id once Kafka has it. */
    CompletableFuture<String> invokeAsync(FunctionSpec spec, byte[] data, String contentType) {
        return invokeAsync(latest(spec), data, contentType);
    }

    /** Publishes an invocation of the addressed version and completes with its id. */
    CompletableFuture<String> invokeAsync(Addressed target, byte[] data, String contentType) {
        Event event = event(target, data, contentType);
        return publisher.publish(event).thenApply(v -> event.getId());
    }

    CompletableFuture<InvocationResult> invoke(FunctionSpec spec, byte[] data, String contentType) {
        return invoke(latest(spec), data, contentType);
    }

    /** Invokes the addressed version and completes with its result. */
    CompletableFuture<InvocationResult> invoke(Addressed target, byte[] data, String contentType) {
        Event event = event(target, data, contentType);
        String id = event.getId();
        Duration wait = maxRunTime(target.version()).plus(slack);
        CompletableFuture<InvocationResult> result = results.expect(id);
        return publisher
                .publish(event)
                .thenCompose(acked -> result)
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> results.forget(id))
                .exceptionallyCompose(
                        e ->
                                CompletableFuture.failedFuture(
                                        unwrap(e) instanceof TimeoutException
                                                ? new ApiException(
                                                        504,
                                                        "no result for invocation "
                                                                + id
                                                                + " within "
                                                                + wait.toSeconds()
                                                                + " s; the job may be down or restarting (check 'flowfn local' output); the invocation"
                                                                + " is not lost: see 'flowfn result "
                                                                + id
                                                                + "' later")
                                                : unwrap(e)));
    }

    private static Addressed latest(FunctionSpec spec) {
        return new Addressed(spec, new FunctionAddress(spec.getName(), null));
    }

    private static Event event(Addressed target, byte[] data, String contentType) {
        FunctionSpec spec = target.head();
        Map<String, String> extensions = new HashMap<>();
        extensions.put(EventExtensions.TARGET, spec.getName());
        extensions.put(EventExtensions.MIN_VERSION, Long.toString(spec.getVersion()));
        if (target.qualifier() != null) {
            extensions.put(EventExtensions.QUALIFIER, target.qualifier());
        }
        String id = UUID.randomUUID().toString();
        return Event.newBuilder()
                .setId(id)
                .setSource(EventSources.INVOKE)
                .setType(EventTypes.FLOWFN_INVOKE)
                .setSubject(id)
                .setTime(Instant.now())
                .setDatacontenttype(
                        contentType == null || contentType.isBlank() ? null : contentType)
                .setData(ByteBuffer.wrap(data))
                .setExtensions(extensions)
                .build();
    }

    /** Every attempt at its timeout, plus back-offs. */
    static Duration maxRunTime(FunctionSpec spec) {
        int attempts = spec.getRetry().getMaxAttempts();
        long backoffs = 0;
        for (int i = 1; i < attempts; i++) {
            backoffs += Math.min(30_000, spec.getRetry().getBackoffMs() << (i - 1));
        }
        return Duration.ofMillis(spec.getTimeoutMs() * attempts + backoffs);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause()
                : e;
    }
}
