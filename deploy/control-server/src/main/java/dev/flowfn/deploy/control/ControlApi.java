package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.metrics.PrometheusText;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's HTTP server, configured but not started: the token filter on {@code /v1/*} (the
 * bearer token, or the web console's session: {@link ApiAuthFilter}), the unauthenticated {@code
 * /metrics}, the resources' routes (among them the unauthenticated {@link HealthResource}), and the
 * JSON error answers ({@code {"error": "..."}}: an {@link ApiException}'s status and message, 500
 * for anything else, 404 for an unknown endpoint).
 */
final class ControlApi {

    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

    /** Deploys upload jars. */
    static final long MAX_REQUEST_BYTES = 256L * 1024 * 1024;

    /** A Javalin for {@code host:port} (0 = any free port); call {@code start()} to serve. */
    static Javalin create(
            String host,
            int port,
            Handler auth,
            PrometheusText metrics,
            List<ApiResource> resources) {
        return Javalin.create(
                config -> {
                    config.http.maxRequestSize = MAX_REQUEST_BYTES;
                    config.jetty.host = host;
                    config.jetty.port = port;
                    config.startup.showJavalinBanner = false;
                    config.routes.before("/v1/*", auth);
                    config.routes.get(
                            "/metrics",
                            ctx ->
                                    ctx.contentType("text/plain; version=0.0.4")
                                            .result(metrics.render()));
                    config.routes.after(ctx -> metrics.countRequest("api", ctx.statusCode()));
                    resources.forEach(r -> r.register(config.routes));
                    config.routes.exception(
                            ApiException.class,
                            (e, ctx) -> JsonReply.error(e.status(), e.getMessage()).writeTo(ctx));
                    config.routes.exception(
                            Exception.class,
                            (e, ctx) -> {
                                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                                JsonReply.error(
                                                500,
                                                "internal error: "
                                                        + e.getClass().getSimpleName()
                                                        + "; see the server log")
                                        .writeTo(ctx);
                            });
                    config.routes.error(
                            404,
                            ctx -> {
                                // a 404 a resource gave (an unknown function) is JSON already;
                                // anything else is an endpoint no route matched
                                String type = ctx.res().getContentType();
                                if (type == null || !type.startsWith("application/json")) {
                                    JsonReply.error(
                                                    404,
                                                    "no such endpoint: "
                                                            + ctx.method()
                                                            + " "
                                                            + ctx.path())
                                            .writeTo(ctx);
                                }
                            });
                });
    }

    private ControlApi() {}
}
