package dev.flowfn.deploy.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.connectors.EventPublisher;
import dev.flowfn.deploy.control.metrics.PrometheusText;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.SchemaTopic;
import dev.flowfn.schemas.Topics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control server's REST API (all under {@code /v1}, bearer token required):
 *
 * <pre>
 * POST   /v1/functions                multipart: spec (JSON DeployRequest), jar (file)   → 201 spec
 * GET    /v1/functions                                                                     → 200 [spec]
 * GET    /v1/functions/{name}                                                              → 200 spec (+ latest progress) | 404
 * DELETE /v1/functions/{name}                                                              → 204 | 404
 * POST   /v1/functions/{name}/invoke  body: the event data; ?async=true for 202 + id         → 200 result | 404 | 504
 * GET    /v1/invocations/{id}         a recent result                                      → 200 result | 404
 * POST   /v1/functions/{name}/keys    a new invocation key for HTTP triggers (shown once)  → 201 {keyId, key}
 * GET    /v1/functions/{name}/keys                                                         → 200 [{keyId, createdAt}]
 * DELETE /v1/keys/{id}                                                                     → 204 | 404
 * GET    /v1/usage?function=&since=1h&window=1m   metered usage and cost per version      → 200 [row]
 * GET    /v1/alerts?since=24h         alerts that fired or resolved                        → 200 [alert]
 * GET    /v1/functions/{name}/logs?since=10m&invocation=&cursor=   log lines to follow     → 200 {lines, cursor}
 * GET    /health                      (no token)                                           → 200
 * GET    /metrics                     (no token) Prometheus text: per-function series      → 200
 * </pre>
 *
 * The gateway port serves HTTP triggers and {@code POST /hooks/s3}, the bucket-notification webhook
 * ({@link S3WebhookReceiver}); routes under {@code /hooks/} are reserved.
 *
 * <p>Errors are JSON {@code {"error": "..."}} with a message that says what to do.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final long MAX_JAR_BYTES = 256L * 1024 * 1024;

    private final ControlSettings settings;
    private final ObjectMapper json =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final RegistryView registry;
    private final CodeStore code;
    private final Invocations invocations;
    private final EventPublisher publisher;
    private final ResultWaiter results;
    private final ResultWaiter fastResults;
    private final FunctionKeys keys;
    private final HttpGateway gateway;
    private final Usage usage;
    private final Logs logs;
    private final Javalin app;
    private final PrometheusText metrics;
    private final SchemaTopic schemaTopic;
    private final AlertNotifier notifier;
    private TopicReader reader;

    private ControlServer(ControlSettings settings) throws InterruptedException {
        this.settings = settings;
        this.registry = new RegistryView(settings.kafkaBootstrap()).start(Duration.ofSeconds(60));
        this.code =
                new CodeStore(
                        settings.s3Endpoint(),
                        settings.s3AccessKey(),
                        settings.s3SecretKey(),
                        settings.codeBucket());
        this.publisher = new EventPublisher(settings.kafkaBootstrap());
        this.keys = new FunctionKeys(settings.kafkaBootstrap()).start(Duration.ofSeconds(60));
        this.results = new ResultWaiter(settings.kafkaBootstrap(), true, true);
        this.fastResults = new ResultWaiter(settings.kafkaBootstrap(), false, false);
        this.invocations = new Invocations(registry, publisher, results, settings.resultSlack());
        this.metrics = new PrometheusText();
        this.notifier = new AlertNotifier(settings.kafkaBootstrap());
        this.reader = new TopicReader(settings.kafkaBootstrap());
        this.schemaTopic = new SchemaTopic(settings.kafkaBootstrap());
        this.usage = new Usage(reader, PriceTable.fromEnvironment());
        this.logs = new Logs(reader);
        this.gateway =
                new HttpGateway(
                        settings.host(),
                        settings.gatewayPort(),
                        settings.maxBodyBytes(),
                        Duration.ofSeconds(30),
                        registry,
                        keys,
                        publisher,
                        fastResults,
                        new S3WebhookReceiver(settings.s3WebhookToken(), publisher),
                        metrics);
        registry.onChange(gateway::refreshRoutes);
        this.app =
                Javalin.create(
                        config -> {
                            config.http.maxRequestSize = MAX_JAR_BYTES;
                            config.jetty.host = settings.host();
                            config.jetty.port = settings.port();
                            config.startup.showJavalinBanner = false;
                            config.routes.before("/v1/*", this::authenticate);
                            config.routes.get("/health", ctx -> ctx.result("ok"));
                            config.routes.get(
                                    "/metrics",
                                    ctx ->
                                            ctx.contentType("text/plain; version=0.0.4")
                                                    .result(metrics.render()));
                            config.routes.after(
                                    ctx -> metrics.countRequest("api", ctx.statusCode()));
                            config.routes.post("/v1/functions", this::deploy);
                            config.routes.get(
                                    "/v1/functions",
                                    ctx ->
                                            json(
                                                    ctx,
                                                    200,
                                                    registry.all().stream()
                                                            .map(SpecJson::spec)
                                                            .toList()));
                            config.routes.get("/v1/functions/{name}", this::describe);
                            config.routes.delete("/v1/functions/{name}", this::delete);
                            config.routes.post("/v1/functions/{name}/invoke", this::invoke);
                            config.routes.get("/v1/invocations/{id}", this::invocation);
                            config.routes.post("/v1/functions/{name}/keys", this::createKey);
                            config.routes.get(
                                    "/v1/functions/{name}/keys",
                                    ctx ->
                                            json(
                                                    ctx,
                                                    200,
                                                    keys
                                                            .list(
                                                                    existing(ctx.pathParam("name"))
                                                                            .getName())
                                                            .stream()
                                                            .map(SpecJson::key)
                                                            .toList()));
                            config.routes.delete("/v1/keys/{id}", this::revokeKey);
                            config.routes.get("/v1/usage", this::usage);
                            config.routes.get("/v1/alerts", this::alerts);
                            config.routes.get("/v1/functions/{name}/logs", this::logs);
                            config.routes.exception(
                                    ApiException.class,
                                    (e, ctx) ->
                                            json(ctx, e.status(), Map.of("error", e.getMessage())));
                            config.routes.exception(
                                    Exception.class,
                                    (e, ctx) -> {
                                        LOG.error(
                                                "request {} {} failed",
                                                ctx.method(),
                                                ctx.path(),
                                                e);
                                        json(
                                                ctx,
                                                500,
                                                Map.of(
                                                        "error",
                                                        "internal error: "
                                                                + e.getClass().getSimpleName()
                                                                + "; see the server log"));
                                    });
                            config.routes.error(
                                    404,
                                    ctx -> {
                                        if (ctx.result() == null) {
                                            json(
                                                    ctx,
                                                    404,
                                                    Map.of(
                                                            "error",
                                                            "no such endpoint: "
                                                                    + ctx.method()
                                                                    + " "
                                                                    + ctx.path()));
                                        }
                                    });
                        });
    }

    public static ControlServer start(ControlSettings settings) throws InterruptedException {
        ControlServer server = new ControlServer(settings);
        server.app.start();
        return server;
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + settings.host() + ":" + port();
    }

    /** Where HTTP triggers are served. */
    public String gatewayUrl() {
        return "http://" + settings.host() + ":" + gateway.port();
    }

    private void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        byte[] given =
                header != null && header.startsWith("Bearer ")
                        ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
        if (!MessageDigest.isEqual(given, settings.token().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(
                    401,
                    "missing or wrong token: send 'Authorization: Bearer <token>'"
                            + " (flowfn local writes it to client.json in its data folder)");
        }
    }

    private void deploy(Context ctx) throws IOException {
        String specJson = ctx.formParam("spec");
        UploadedFile jarFile = ctx.uploadedFile("jar");
        if (specJson == null || jarFile == null) {
            throw ApiException.badRequest(
                    "a deploy is multipart/form-data with two parts: 'spec' (JSON) and 'jar' (the file)");
        }
        DeployRequest request;
        try {
            request = json.readValue(specJson, DeployRequest.class);
        } catch (IOException e) {
            throw ApiException.badRequest("the 'spec' part is not valid JSON: " + e.getMessage());
        }
        FunctionSpec.Builder spec = request.validate();
        for (dev.flowfn.schemas.Trigger t : spec.getTriggers()) {
            String route = t.getParams().get("route");
            if ("http".equals(t.getKind()) && route != null && route.startsWith("/hooks/")) {
                throw ApiException.badRequest(
                        "trigger '"
                                + t.getText()
                                + "': routes under /hooks/ are reserved for the platform's"
                                + " webhooks; pick another route");
            }
        }
        byte[] jar;
        try (InputStream in = jarFile.content()) {
            jar = in.readAllBytes();
        }
        JarInspector.check(jar, spec.getHandler());
        JarSchemas.Found schemas = JarSchemas.in(jar);
        String sha = sha256(jar);
        spec.setCodeUri(code.put(spec.getName(), sha, jar))
                .setCodeSha256(sha)
                .setVersion(registry.nextVersion(spec.getName()));
        FunctionSpec deployed = spec.build();
        RouteTable.of(registry.all())
                .conflict(deployed)
                .ifPresent(
                        conflict -> {
                            throw new ApiException(409, conflict);
                        });
        try {
            // schemas first: a record the new version emits must be decodable at once
            schemaTopic.publish(schemas.schemas());
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage());
        }
        try {
            registry.put(deployed, Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new ApiException(
                    503, "could not write the function to the registry topic: " + e.getMessage());
        }
        LOG.info(
                "deployed {} version {} ({} bytes, sha256 {})",
                deployed.getName(),
                deployed.getVersion(),
                jar.length,
                sha);
        Map<String, Object> answer = new java.util.LinkedHashMap<>(SpecJson.spec(deployed));
        answer.put("schemas", schemas.names());
        List<String> warnings =
                new ArrayList<>(
                        OutputLocations.loopWarnings(
                                deployed.getTriggers(), deployed.getOutputs()));
        warnings.addAll(schemas.problems());
        if (!warnings.isEmpty()) {
            answer.put("warnings", warnings);
            LOG.warn("{}: {}", deployed.getName(), warnings);
        }
        json(ctx, 201, answer);
    }

    private void delete(Context ctx) throws Exception {
        FunctionSpec spec = existing(ctx.pathParam("name"));
        registry.delete(spec.getName(), Duration.ofSeconds(30));
        LOG.info("deleted {}", spec.getName());
        ctx.status(204);
    }

    private void invoke(Context ctx) {
        FunctionSpec spec = existing(ctx.pathParam("name"));
        byte[] data = ctx.bodyAsBytes();
        String contentType = ctx.header("Content-Type");
        if ("true".equals(ctx.queryParam("async"))) {
            ctx.future(
                    () ->
                            invocations
                                    .invokeAsync(spec, data, contentType)
                                    .thenAccept(id -> json(ctx, 202, Map.of("invocationId", id)))
                                    .exceptionally(
                                            error -> {
                                                json(
                                                        ctx,
                                                        503,
                                                        Map.of(
                                                                "error",
                                                                "could not invoke: "
                                                                        + error.getMessage()));
                                                return null;
                                            }));
            return;
        }
        ctx.future(
                () ->
                        invocations
                                .invoke(spec, data, contentType)
                                .thenAccept(result -> json(ctx, 200, SpecJson.result(result)))
                                .exceptionally(
                                        error -> {
                                            Throwable cause =
                                                    error.getCause() != null
                                                            ? error.getCause()
                                                            : error;
                                            if (cause instanceof ApiException api) {
                                                json(
                                                        ctx,
                                                        api.status(),
                                                        Map.of("error", api.getMessage()));
                                            } else {
                                                LOG.error(
                                                        "invoke of {} failed",
                                                        spec.getName(),
                                                        cause);
                                                json(
                                                        ctx,
                                                        503,
                                                        Map.of(
                                                                "error",
                                                                "could not invoke: "
                                                                        + cause.getMessage()));
                                            }
                                            return null;
                                        }));
    }

    private void usage(Context ctx) {
        String function = ctx.queryParam("function");
        Duration since = duration(ctx.queryParam("since"), Duration.ofHours(1), "since");
        String window = ctx.queryParam("window");
        json(
                ctx,
                200,
                usage.rows(
                        function == null || function.isBlank() ? null : function,
                        since,
                        window == null || window.isBlank()
                                ? null
                                : duration(window, null, "window")));
    }

    private void alerts(Context ctx) {
        Duration since = duration(ctx.queryParam("since"), Duration.ofHours(24), "since");
        dev.flowfn.schemas.AvroCodec<dev.flowfn.schemas.Alert> codec =
                dev.flowfn.schemas.AvroCodec.of(dev.flowfn.schemas.Alert.class);
        json(
                ctx,
                200,
                reader
                        .read(Topics.ALERTS, null, java.time.Instant.now().minus(since), 10_000)
                        .records()
                        .stream()
                        .map(r -> SpecJson.alert(codec.decode(r.value())))
                        .toList());
    }

    /** The spec, and the latest progress report of the function's handlers (last 24 h). */
    private void describe(Context ctx) {
        FunctionSpec spec = existing(ctx.pathParam("name"));
        Map<String, Object> out = SpecJson.spec(spec);
        Map<String, Object> progress =
                logs.latestProgress(
                        spec.getName(), java.time.Instant.now().minus(Duration.ofHours(24)));
        if (progress != null) {
            out.put("progress", progress);
        }
        json(ctx, 200, out);
    }

    private void logs(Context ctx) {
        FunctionSpec spec = existing(ctx.pathParam("name"));
        Duration since = duration(ctx.queryParam("since"), Duration.ofMinutes(10), "since");
        json(
                ctx,
                200,
                logs.read(
                        spec.getName(),
                        java.time.Instant.now().minus(since),
                        ctx.queryParam("invocation"),
                        ctx.queryParam("cursor")));
    }

    private static Duration duration(String text, Duration fallback, String name) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            Duration d = dev.flowfn.schemas.FunctionSpecRules.parseDuration(text);
            if (d.isNegative() || d.isZero()) {
                throw ApiException.badRequest(name + " must be positive, e.g. 1h");
            }
            return d;
        } catch (dev.flowfn.schemas.InvalidSpecException e) {
            throw ApiException.badRequest(name + ": " + e.getMessage());
        }
    }

    private void invocation(Context ctx) {
        String id = ctx.pathParam("id");
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
        json(ctx, 200, SpecJson.result(result));
    }

    private void createKey(Context ctx) throws Exception {
        FunctionSpec spec = existing(ctx.pathParam("name"));
        FunctionKeys.Created key = keys.create(spec.getName());
        LOG.info("created key {} for {}", key.keyId(), spec.getName());
        json(ctx, 201, Map.of("keyId", key.keyId(), "key", key.key(), "function", spec.getName()));
    }

    private void revokeKey(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        if (keys.get(id).isEmpty()) {
            throw ApiException.notFound("no key " + id + "; see 'flowfn keys list FUNCTION'");
        }
        keys.revoke(id);
        LOG.info("revoked key {}", id);
        ctx.status(204);
    }

    private FunctionSpec existing(String name) {
        return registry.get(name)
                .orElseThrow(
                        () ->
                                ApiException.notFound(
                                        "no function named '"
                                                + name
                                                + "' is deployed; see 'flowfn list'"));
    }

    private void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        app.stop();
        notifier.close();
        gateway.close();
        fastResults.close();
        keys.close();
        results.close();
        publisher.close();
        registry.close();
        code.close();
    }

    /** For tests: the functions this server knows. */
    List<FunctionSpec> functions() {
        return registry.all();
    }
}
