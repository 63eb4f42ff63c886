package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.api.AsyncInvocation;
import dev.flowfn.schemas.FunctionAddress;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct invocations and their results.
 *
 * <pre>
 * POST /v1/functions/{name}/invoke  body: the event data; ?async=true for 202 + id  → 200 result | 404 | 504
 * GET  /v1/invocations/{id}         a recent result                               → 200 result | 404
 * </pre>
 *
 * Threads: request threads; a synchronous invoke answers on the thread that completes the result
 * (Javalin's async request handling), so the request thread is free while it waits.
 */
final class InvocationsResource implements ApiResource {

    private static final Logger LOG = LoggerFactory.getLogger(InvocationsResource.class);

    private final FunctionRegistry registry;
    private final Invocations invocations;
    private final ResultSource results;

    InvocationsResource(FunctionRegistry registry, Invocations invocations, ResultSource results) {
        this.registry = registry;
        this.invocations = invocations;
        this.results = results;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1/functions/{name}/invoke", this::invoke);
        routes.get("/v1/invocations/{id}", ctx -> result(ctx.pathParam("id")).writeTo(ctx));
    }

    private void invoke(Context ctx) {
        Addressed target = Addressed.of(registry, ctx.pathParam("name"));
        byte[] data = ctx.bodyAsBytes();
        String contentType = ctx.header("Content-Type");
        boolean async = "true".equals(ctx.queryParam("async"));
        ctx.future(
                () ->
                        invoke(target, data, contentType, async)
                                .thenAccept(reply -> reply.writeTo(ctx)));
    }

    /**
     * Invokes {@code spec}: with {@code async}, answers 202 with the invocation id once the event
     * is published; otherwise 200 with the result. Never completes exceptionally: failures are
     * answers (the {@link ApiException}'s status, else 503).
     */
    CompletableFuture<JsonReply> invoke(
            FunctionSpec spec, byte[] data, String contentType, boolean async) {
        return invoke(
                new Addressed(spec, new FunctionAddress(spec.getName(), null)),
                data,
                contentType,
                async);
    }

    /** Invokes the addressed version (see the other {@code invoke}). */
    CompletableFuture<JsonReply> invoke(
            Addressed target, byte[] data, String contentType, boolean async) {
        FunctionSpec spec = target.head();
        if (async) {
            return invocations
                    .invokeAsync(target, data, contentType)
                    .thenApply(id -> new JsonReply(202, new AsyncInvocation(id)))
                    .exceptionally(
                            error ->
                                    JsonReply.error(
                                            503, "could not invoke: " + error.getMessage()));
        }
        return invocations
                .invoke(target, data, contentType)
                .thenApply(result -> JsonReply.ok(SpecJson.result(result)))
                .exceptionally(
                        error -> {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            if (cause instanceof ApiException api) {
                                return JsonReply.error(api.status(), api.getMessage());
                            }
                            LOG.error("invoke of {} failed", spec.getName(), cause);
                            return JsonReply.error(503, "could not invoke: " + cause.getMessage());
                        });
    }

    /** A result this server saw recently, or a 404 that says where every result stays. */
    JsonReply result(String id) {
        InvocationResult result =
                results.recent(id)
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "no result for invocation "
                                                        + id
                                                        + " (yet): it is still running, or unknown, or older than the last "
                                                        + ResultWaiter.RECENT
                                                        + " results this server has seen; every result stays on "
                                                        + Topics.RESULTS));
        return JsonReply.ok(SpecJson.result(result));
    }
}
