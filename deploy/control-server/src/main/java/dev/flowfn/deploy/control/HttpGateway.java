package dev.flowfn.deploy.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.api.HttpRequest;
import dev.flowfn.deploy.control.metrics.PrometheusText;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventSources;
import dev.flowfn.schemas.contract.EventTypes;
import dev.flowfn.schemas.contract.ReplyBatch;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP trigger gateway: matches a request to a function's route, checks its auth, turns it into
 * an {@code http.request} event addressed to that function, and answers with the function's result
 * (status, headers, body). Synchronous calls wait at most the function's timeout (then 504) for the
 * result the job pushes to this instance as soon as it is written ({@link #REPLIES_PATH}), or, when
 * no push comes, for the committed one on {@code flowfn.results}. {@code Prefer: respond-async}
 * answers 202 with the invocation id at once.
 *
 * <p>Errors are JSON {@code {"error": ...}} and never echo request headers or the function's
 * exception text (its owner finds that with {@code flowfn result <invocation id>}).
 *
 * <p>Threads: the constructor only configures; {@link #start} starts Jetty, whose request threads
 * handle requests; replies complete on the result source's thread. {@link #refreshRoutes} may run
 * on any thread (the registry's).
 */
public final class HttpGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    private static final Set<String> PRIVATE_HEADERS =
            Set.of("authorization", "proxy-authorization", "cookie", "x-flowfn-key");
    private static final Set<String> HOP_BY_HOP =
            Set.of(
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "keep-alive",
                    "upgrade",
                    "content-type");
    private static final Duration GRACE = Duration.ofSeconds(1);

    /** The chunk a response body is copied to the connection in (Jetty buffers the writes). */
    static final int RESPONSE_COPY_BYTES = 1024;

    /** Where the job pushes results of synchronous requests (see {@code flowfnreplyto}). */
    static final String REPLIES_PATH = "/hooks/replies";

    /**
     * Requests of one function version a gateway instance holds at once, as a multiple of the
     * function's concurrency: the job runs that many per parallel instance and queues the rest in
     * order, so the gateway admits a queue's worth beyond it before it answers 429.
     */
    static final int ADMISSION_PER_CONCURRENCY = 16;

    private final ObjectMapper json = new ObjectMapper();
    private final FunctionRegistry registry;
    private final FunctionKeyStore keys;
    private final EventSink publisher;
    private final ResultSource results;
    private final long maxBodyBytes;
    private final Duration idleTimeout;
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    /** Results the job pushed to {@link #REPLIES_PATH}, for the requests waiting here. */
    private final ResultHandoff pushed = new ResultHandoff(false, 0);

    /** Where the job pushes results for this instance; known once it listens. */
    private volatile String replyAddress;

    private final Javalin app;
    private volatile RouteTable routes;

    private final String host;
    private final PrometheusText metrics;

    HttpGateway(
            String host,
            int port,
            long maxBodyBytes,
            Duration idleTimeout,
            FunctionRegistry registry,
            FunctionKeyStore keys,
            EventSink publisher,
            ResultSource results,
            S3WebhookReceiver s3Webhook,
            PrometheusText metrics) {
        this.host = host;
        this.metrics = metrics;
        this.registry = registry;
        this.keys = keys;
        this.publisher = publisher;
        this.results = results;
        this.maxBodyBytes = maxBodyBytes;
        this.idleTimeout = idleTimeout;
        this.routes = RouteTable.of(registry.all());
        this.app =
                Javalin.create(
                        config -> {
                            config.jetty.host = host;
                            config.jetty.port = port;
                            config.http.maxRequestSize = maxRequestBytes();
                            // Javalin copies each response through a buffer of this size, made
                            // anew per response; by default Jetty's output buffer, 32 KiB, which
                            // for the gateway's small answers was most of its garbage
                            config.http.responseBufferSize = RESPONSE_COPY_BYTES;
                            config.startup.showJavalinBanner = false;
                            // before the catch-all routes: /hooks/ is reserved for the platform
                            config.routes.post(S3WebhookReceiver.PATH, s3Webhook::handle);
                            config.routes.post(REPLIES_PATH, this::acceptReply);
                            for (String path : List.of("/", "/<path>")) {
                                config.routes.get(path, this::handle);
                                config.routes.post(path, this::handle);
                                config.routes.put(path, this::handle);
                                config.routes.patch(path, this::handle);
                                config.routes.delete(path, this::handle);
                                config.routes.head(path, this::handle);
                                config.routes.options(path, this::handle);
                            }
                            config.routes.after(
                                    ctx -> metrics.countRequest("gateway", ctx.statusCode()));
                            config.routes.exception(
                                    Exception.class,
                                    (e, ctx) -> {
                                        LOG.warn(
                                                "gateway request {} {} failed",
                                                ctx.method(),
                                                ctx.path(),
                                                e);
                                        error(
                                                ctx,
                                                400,
                                                "the request could not be read: "
                                                        + e.getClass().getSimpleName());
                                    });
                        });
    }

    /** Javalin's limit: one byte over a body's, so a body at the limit is read whole. */
    private long maxRequestBytes() {
        return maxBodyBytes + 1;
    }

    /** Serves the routes the registry has now (and, via {@link #refreshRoutes}, later ones). */
    HttpGateway start() {
        refreshRoutes();
        app.start();
        replyAddress = "http://" + advertised(host) + ":" + port() + REPLIES_PATH;
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector c) {
                c.setIdleTimeout(idleTimeout.toMillis()); // slow clients are cut off
            }
        }
        return this;
    }

    /** Call when the registry changed (on the registry's thread). */
    void refreshRoutes() {
        routes = RouteTable.of(registry.all());
    }

    RouteTable routes() {
        return routes;
    }

    public int port() {
        return app.port();
    }

    /** The host the job reaches this instance at: the bound one, or this machine's address. */
    private static String advertised(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.isEmpty()) {
            return host.contains(":") ? "[" + host + "]" : host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /**
     * Results the job pushed: each handed to the request waiting for it, dropped if none is
     * (answered already from {@code flowfn.results}, or timed out). The body is a {@link
     * ReplyBatch}, read as a stream: the job keeps one POST open and writes results into it as they
     * come, and each is handed on as soon as it has arrived. A body of another type is one encoded
     * result named by the header {@code X-Flowfn-Invocation} (how jobs before the batch pushed).
     */
    private void acceptReply(Context ctx) throws IOException {
        String type = ctx.contentType();
        if (type != null && type.startsWith(ReplyBatch.CONTENT_TYPE)) {
            try {
                ReplyBatch.decode(
                        ctx.req().getInputStream(),
                        pushed::accept,
                        (int) Math.min(maxBodyBytes, RequestBody.MAX_ARRAY_BYTES));
            } catch (IllegalArgumentException e) {
                error(ctx, 400, "the pushed replies could not be read: " + e.getMessage());
                return;
            } catch (IOException e) {
                // the job's end of the stream went away (a TaskManager stopped): the entries
                // before were handed on, the rest come from flowfn.results
                LOG.debug("a stream of pushed replies broke off: {}", e.toString());
                return;
            }
            ctx.status(204);
            return;
        }
        String id = ctx.header("X-Flowfn-Invocation");
        if (id == null || id.isBlank()) {
            error(
                    ctx,
                    400,
                    "a pushed reply needs Content-Type "
                            + ReplyBatch.CONTENT_TYPE
                            + ", or the header X-Flowfn-Invocation");
            return;
        }
        pushed.accept(
                id.getBytes(StandardCharsets.UTF_8), RequestBody.read(ctx, maxRequestBytes()));
        ctx.status(204);
    }

    private void handle(Context ctx) throws IOException {
        String method = ctx.method().name();
        String path = ctx.path();
        if (ctx.contentLength() > maxBodyBytes) {
            ctx.header("Connection", "close");
            error(
                    ctx,
                    413,
                    "request body of "
                            + ctx.contentLength()
                            + " bytes is over the limit of "
                            + maxBodyBytes);
            return;
        }
        // read the body first, whatever the answer: the connection stays usable for the next
        // request
        byte[] body = RequestBody.read(ctx, maxRequestBytes());
        if (body.length > maxBodyBytes) {
            ctx.header("Connection", "close");
            error(ctx, 413, "request body is over the limit of " + maxBodyBytes + " bytes");
            return;
        }
        Optional<RouteTable.Match> match = routes.match(method, path);
        if (match.isEmpty()) {
            Set<String> allowed = routes.allowed(path);
            if (!allowed.isEmpty()) {
                ctx.header("Allow", String.join(", ", allowed));
                error(
                        ctx,
                        405,
                        method
                                + " is not allowed on "
                                + path
                                + "; allowed: "
                                + String.join(", ", allowed));
            } else {
                error(ctx, 404, "no route for " + method + " " + path);
            }
            return;
        }
        RouteTable.Route route = match.get().route();
        FunctionSpec spec = route.spec();
        if (!route.anonymous() && !keys.verify(spec.getName(), presentedKey(ctx))) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(
                    ctx,
                    401,
                    "missing or wrong function key: send 'Authorization: Bearer <key>'"
                            + " (the function's owner creates keys with 'flowfn keys create "
                            + spec.getName()
                            + "')");
            return;
        }
        int admitted = spec.getMaxConcurrency() * ADMISSION_PER_CONCURRENCY;
        Semaphore slots =
                inFlight.computeIfAbsent(
                        spec.getName() + "@" + spec.getVersion(), k -> new Semaphore(admitted));
        if (!slots.tryAcquire()) {
            ctx.header("Retry-After", "1");
            error(
                    ctx,
                    429,
                    "function '"
                            + spec.getName()
                            + "' already has "
                            + admitted
                            + " requests waiting at this gateway ("
                            + ADMISSION_PER_CONCURRENCY
                            + " x its concurrency of "
                            + spec.getMaxConcurrency()
                            + "); retry shortly, or deploy it with a higher --concurrency");
            return;
        }
        boolean async = isAsync(ctx);
        Event event = event(ctx, match.get(), body, !async);
        String id = event.getId();
        if (async) {
            ctx.future(
                    () ->
                            publisher
                                    .publish(event)
                                    .whenComplete((v, e) -> slots.release())
                                    .thenAccept(
                                            v ->
                                                    write(
                                                            ctx,
                                                            202,
                                                            Map.of(
                                                                    "invocationId",
                                                                    id,
                                                                    "result",
                                                                    "/v1/invocations/" + id)))
                                    .exceptionally(e -> unavailable(ctx, e)));
            return;
        }
        Duration deadline = Duration.ofMillis(spec.getTimeoutMs()).plus(GRACE);
        CompletableFuture<InvocationResult> result = firstOf(pushed.expect(id), results.expect(id));
        ctx.future(
                () ->
                        publisher
                                .publish(event)
                                .thenCompose(v -> result)
                                .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                                .whenComplete(
                                        (r, e) -> {
                                            results.forget(id);
                                            pushed.forget(id);
                                            slots.release();
                                        })
                                .thenAccept(r -> respond(ctx, r))
                                .exceptionally(
                                        e -> {
                                            Throwable cause =
                                                    e instanceof CompletionException
                                                            ? e.getCause()
                                                            : e;
                                            if (cause instanceof TimeoutException) {
                                                ctx.header("X-Flowfn-Invocation", id);
                                                error(
                                                        ctx,
                                                        504,
                                                        "function '"
                                                                + spec.getName()
                                                                + "' did not answer within its timeout of "
                                                                + SpecJson.human(
                                                                        Duration.ofMillis(
                                                                                spec
                                                                                        .getTimeoutMs())));
                                                return null;
                                            }
                                            return unavailable(ctx, cause);
                                        }));
    }

    /**
     * The pushed result or the one read from {@code flowfn.results}, whichever comes first; a push
     * that could not be decoded is ignored (the topic's result still comes).
     */
    private CompletableFuture<InvocationResult> firstOf(
            CompletableFuture<InvocationResult> pushed, CompletableFuture<InvocationResult> read) {
        CompletableFuture<InvocationResult> first = new CompletableFuture<>();
        pushed.thenAccept(
                r -> {
                    if (first.complete(r)) {
                        metrics.countReply("push");
                    }
                });
        read.whenComplete(
                (r, e) -> {
                    if (e == null) {
                        if (first.complete(r)) {
                            metrics.countReply("topic");
                        }
                    } else {
                        first.completeExceptionally(e);
                    }
                });
        return first;
    }

    private void respond(Context ctx, InvocationResult r) {
        ctx.header("X-Flowfn-Invocation", r.getInvocationId());
        if (!r.getSuccess()) {
            error(
                    ctx,
                    r.getStatus(),
                    switch (r.getFailureKind()) {
                                case TIMEOUT -> "the function ran past its timeout";
                                case CODE_LOAD -> "the function's code could not be loaded";
                                case BAD_RESULT -> "the function returned no result";
                                case PLATFORM_ERROR ->
                                        "the platform failed, not the function; try again";
                                case WORKER_EXITED -> "the function's worker process exited";
                                case OUT_OF_MEMORY -> "the function ran out of memory";
                                default -> "the function failed";
                            }
                            + " (invocation "
                            + r.getInvocationId()
                            + ")");
            return;
        }
        r.getHeaders()
                .forEach(
                        (name, value) -> {
                            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                                ctx.header(name, value);
                            }
                        });
        ByteBuffer data = r.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        ctx.status(r.getStatus())
                .contentType(
                        r.getContentType() != null
                                ? r.getContentType()
                                : "application/octet-stream")
                .result(bytes);
    }

    private Event event(Context ctx, RouteTable.Match match, byte[] body, boolean replyHere) {
        FunctionSpec spec = match.route().spec();
        Map<String, String> headers = new LinkedHashMap<>();
        ctx.headerMap()
                .forEach(
                        (name, value) -> {
                            String lower = name.toLowerCase(Locale.ROOT);
                            if (!PRIVATE_HEADERS.contains(lower)) {
                                headers.merge(lower, value, (a, b) -> a + ", " + b);
                            }
                        });
        Map<String, String> query = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
        String id = UUID.randomUUID().toString();
        Map<String, String> ext = new LinkedHashMap<>();
        ext.put(EventExtensions.TARGET, spec.getName());
        ext.put(EventExtensions.MIN_VERSION, Long.toString(spec.getVersion()));
        if (match.route().qualifier() != null) {
            ext.put(EventExtensions.QUALIFIER, match.route().qualifier());
        }
        ext.put(EventExtensions.HTTP_METHOD, ctx.method().name());
        ext.put(EventExtensions.HTTP_PATH, ctx.path());
        ext.put(EventExtensions.HTTP_ROUTE, match.route().pattern());
        ext.put(EventExtensions.HTTP_REMOTE, ctx.ip());
        ext.put(EventExtensions.HTTP_PARAMS, HttpRequest.encodeForm(match.params()));
        ext.put(EventExtensions.HTTP_QUERY, HttpRequest.encodeForm(query));
        ext.put(EventExtensions.HTTP_HEADERS, HttpRequest.encodeForm(headers));
        if (replyHere && replyAddress != null) {
            ext.put(EventExtensions.REPLY_TO, replyAddress);
        }
        return Event.newBuilder()
                .setId(id)
                .setSource(EventSources.GATEWAY_PREFIX + match.route().pattern())
                .setType(EventTypes.HTTP_REQUEST)
                .setSubject(id)
                .setTime(Instant.now())
                .setDatacontenttype(ctx.contentType())
                .setData(ByteBuffer.wrap(body))
                .setExtensions(ext)
                .build();
    }

    private static String presentedKey(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return ctx.header("X-Flowfn-Key");
    }

    private static boolean isAsync(Context ctx) {
        String prefer = ctx.header("Prefer");
        return (prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async"))
                || "true".equalsIgnoreCase(ctx.header("X-Flowfn-Async"));
    }

    private Void unavailable(Context ctx, Throwable cause) {
        LOG.warn("gateway could not hand a request to Kafka", cause);
        ctx.header("Retry-After", "1");
        error(ctx, 503, "the platform could not accept the request right now; retry shortly");
        return null;
    }

    private void error(Context ctx, int status, String message) {
        write(ctx, status, Map.of("error", message));
    }

    private void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
