package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.metrics.PrometheusText;
import dev.flowfn.kafka.EventPublisher;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.kafka.SchemaTopic;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The control server: the REST API (all under {@code /v1}, bearer token required) and the HTTP
 * trigger gateway, over Kafka and object storage. This class only builds the real clients and wires
 * them; the API's nouns are {@link FunctionsResource}, {@link InvocationsResource}, {@link
 * KeysResource}, {@link ObservabilityResource} and {@link DeadLettersResource}, the deploy itself
 * is {@link DeployService}. The web console ({@link ConsoleResource}) is served beside the API: it
 * signs in with the same token and then calls the API with its session ({@link ApiAuthFilter}).
 *
 * <pre>
 * POST   /v1/functions                multipart: spec (JSON DeployRequest), code (jar or zip; or 'jar'; none for http) → 201 spec
 * GET    /v1/functions                                                                     → 200 [spec]
 * GET    /v1/functions/{name}                                                              → 200 spec (+ latest progress) | 404
 * DELETE /v1/functions/{name}                                                              → 204 | 404
 * GET    /v1/functions/{name}/versions   kept versions, newest first                      → 200 [version]
 * GET    /v1/functions/{name}/aliases                                                      → 200 [alias]
 * PUT    /v1/functions/{name}/aliases/{alias}  body: {version, canaryVersion, canaryWeight, rollbackOn} → 200 alias
 * DELETE /v1/functions/{name}/aliases/{alias}                                              → 204 | 404 | 409
 * POST   /v1/functions/{name}/rollback  body: {alias, to}                                  → 200 spec
 * (a {name} may be name:VERSION or name:ALIAS for describe, invoke, and delete of a version)
 * POST   /v1/functions/{name}/invoke  body: the event data; ?async=true for 202 + id         → 200 result | 404 | 504
 * GET    /v1/invocations/{id}         a recent result                                      → 200 result | 404
 * POST   /v1/functions/{name}/keys    a new invocation key for HTTP triggers (shown once)  → 201 {keyId, key}
 * GET    /v1/functions/{name}/keys                                                         → 200 [{keyId, createdAt}]
 * DELETE /v1/keys/{id}                                                                     → 204 | 404
 * GET    /v1/usage?function=&since=1h&window=1m   metered usage and cost per version      → 200 [row]
 * GET    /v1/alerts?since=24h         alerts that fired or resolved                        → 200 [alert]
 * GET    /v1/functions/{name}/logs?since=10m&invocation=&cursor=   log lines to follow     → 200 {lines, cursor}
 * GET    /v1/functions/{name}/results?since=10m&cursor=   invocations to follow           → 200 {results, cursor}
 * GET    /v1/dead-letters?since=24h&function=   dead letters, newest first                 → 200 [letter]
 * GET    /v1/dead-letters/{id}        one dead letter (id = partition:offset)              → 200 letter | 404
 * POST   /v1/dead-letters/{id}/run-again   publishes its event again                      → 202 {eventId} | 404 | 409
 * GET    /console/                    the web console (sign in with the token at /console/login), see {@link ConsoleResource}
 * GET    /health                      (no token) liveness, see {@link HealthResource}      → 200 | 503
 * GET    /ready                       (no token) readiness for a load balancer              → 200 | 503
 * GET    /metrics                     (no token) Prometheus text: per-function series      → 200
 * </pre>
 *
 * The gateway port serves HTTP triggers and {@code POST /hooks/s3}, the bucket-notification webhook
 * ({@link S3WebhookReceiver}); routes under {@code /hooks/} are reserved.
 *
 * <p>Errors are JSON {@code {"error": "..."}} with a message that says what to do.
 *
 * <p>Threads: the constructor builds clients and starts none of this module's threads or servers
 * (Kafka's producers start their own I/O threads when built); {@link #start(ControlSettings)}
 * starts the registry, key and progress followers (waiting up to 60 s each for them to catch up),
 * the result followers, the alert notifier, the gateway and the API.
 */
public final class ControlServer implements AutoCloseable {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final Duration GATEWAY_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final ControlSettings settings;
    private final RegistryView registry;
    private final CodeStore code;
    private final EventPublisher publisher;
    private final FunctionKeys keys;
    private final ProgressView progress;
    private final ResultWaiter results;
    private final AlertNotifier notifier;
    private final HttpGateway gateway;
    private final HealthResource health;
    private final Javalin api;

    private ControlServer(ControlSettings settings) {
        KafkaClientConfig kafka = settings.kafka();
        this.settings = settings;
        this.registry = new RegistryView(kafka);
        this.code =
                new CodeStore(
                        settings.s3Endpoint(),
                        settings.s3AccessKey(),
                        settings.s3SecretKey(),
                        settings.codeBucket());
        this.publisher = new EventPublisher(kafka);
        this.keys = new FunctionKeys(kafka);
        this.progress = new ProgressView(kafka);
        this.results = new ResultWaiter(kafka);
        RegistryWrites writes = new RegistryWrites(registry, code);
        Clock clock = Clock.systemUTC();
        AliasService aliases = new AliasService(writes, clock);
        this.notifier = new AlertNotifier(kafka, aliases::rollbackOn);
        PrometheusText metrics = new PrometheusText();
        EventSink events = publisher::publish;
        this.gateway =
                new HttpGateway(
                        settings.host(),
                        settings.gatewayPort(),
                        settings.maxBodyBytes(),
                        GATEWAY_IDLE_TIMEOUT,
                        registry,
                        keys,
                        events,
                        results,
                        new S3WebhookReceiver(settings.s3WebhookToken(), events),
                        metrics);
        registry.onChange(gateway::refreshRoutes);
        TopicReader reader = new TopicReader(kafka);
        Logs logs = new Logs(reader);
        DeployService deploys =
                new DeployService(writes, code, new SchemaTopic(kafka)::publish, clock);
        BearerTokenFilter token = new BearerTokenFilter(settings.token());
        ConsoleSessions sessions = new ConsoleSessions(ConsoleSessions.DEFAULT_TTL, clock);
        this.health =
                new HealthResource(
                        Map.of(
                                "registry (" + Topics.FUNCTIONS + ")", registry::checkAlive,
                                "keys (" + Topics.KEYS + ")", keys::checkAlive,
                                "progress (" + Topics.PROGRESS + ")", progress::checkAlive));
        this.api =
                ControlApi.create(
                        settings.host(),
                        settings.port(),
                        new ApiAuthFilter(token, sessions),
                        metrics,
                        List.of(
                                health,
                                new FunctionsResource(registry, deploys, aliases, progress, clock),
                                new VersionsResource(registry, aliases),
                                new InvocationsResource(
                                        registry,
                                        new Invocations(events, results, settings.resultSlack()),
                                        results),
                                new KeysResource(registry, keys),
                                new ObservabilityResource(
                                        registry,
                                        new Usage(reader, PriceTable.fromEnvironment()),
                                        new AlertLog(reader),
                                        logs,
                                        new ResultLog(reader),
                                        clock),
                                new DeadLettersResource(new DlqReader(reader), events, clock),
                                new ConsoleResource(token, sessions, new ConsoleAssets())));
    }

    /**
     * Builds and starts a control server; returns once it serves. If starting fails (Kafka not
     * reachable within 60 s, a port taken), what was started is stopped again.
     */
    public static ControlServer start(ControlSettings settings) throws InterruptedException {
        ControlServer server = new ControlServer(settings);
        try {
            server.start();
        } catch (InterruptedException | RuntimeException e) {
            try {
                server.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return server;
    }

    /**
     * Catches up with the registry, the keys and the progress reports, then starts the followers,
     * gateway and API.
     */
    private void start() throws InterruptedException {
        registry.start(CATCH_UP);
        keys.start(CATCH_UP);
        progress.start(CATCH_UP);
        results.start();
        notifier.start();
        gateway.start();
        api.start();
    }

    public int port() {
        return api.port();
    }

    public String url() {
        return "http://" + settings.host() + ":" + port();
    }

    /** Where HTTP triggers are served. */
    public String gatewayUrl() {
        return "http://" + settings.host() + ":" + gateway.port();
    }

    @Override
    public void close() throws Exception {
        health.stopping();
        api.stop();
        notifier.close();
        gateway.close();
        keys.close();
        progress.close();
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
