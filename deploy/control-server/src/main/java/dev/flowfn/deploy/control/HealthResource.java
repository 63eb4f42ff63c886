package dev.flowfn.deploy.control;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether this server can serve, for a load balancer's health check and an orchestrator's probes;
 * no token.
 *
 * <pre>
 * GET /health   liveness: the views it follows are alive          → 200 "ok"    | 503 {"error"}
 * GET /ready    readiness: as /health, and the server is not stopping → 200 "ready" | 503 {"error"}
 * </pre>
 *
 * The API starts listening only after the registry, keys and progress views have caught up with
 * their topics ({@link ControlServer#start(ControlSettings)}), so neither answers 200 before that.
 * A view whose follower thread died no longer changes: both answer 503 naming it, and the fix is a
 * restart. {@link #stopping()} turns {@code /ready} to 503 at once, so a load balancer drains this
 * replica while it stops.
 *
 * <p>Threads: request threads; {@link #stopping()} from any thread.
 */
final class HealthResource implements ApiResource {

    private final Map<String, Runnable> views;
    private volatile boolean stopping;

    /**
     * @param views each followed view by name, with a check that throws {@link
     *     IllegalStateException} once it stopped following
     */
    HealthResource(Map<String, Runnable> views) {
        this.views = new TreeMap<>(views); // checked in name order: the answer is stable
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/health", ctx -> answer(ctx, health(), "ok"));
        routes.get("/ready", ctx -> answer(ctx, ready(), "ready"));
    }

    /** From now on {@code /ready} answers 503. */
    void stopping() {
        stopping = true;
    }

    /** Null when alive, else what is wrong and what to do. */
    String health() {
        for (Map.Entry<String, Runnable> view : views.entrySet()) {
            try {
                view.getValue().run();
            } catch (IllegalStateException e) {
                return "the "
                        + view.getKey()
                        + " view stopped following Kafka ("
                        + e.getMessage()
                        + "); restart this server";
            }
        }
        return null;
    }

    /** Null when ready to take requests, else why not. */
    String ready() {
        if (stopping) {
            return "this server is stopping";
        }
        return health();
    }

    private static void answer(Context ctx, String problem, String ok) {
        if (problem == null) {
            ctx.result(ok);
        } else {
            JsonReply.error(503, problem).writeTo(ctx);
        }
    }
}
