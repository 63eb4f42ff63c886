package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.FunctionVersions;
import dev.flowfn.schemas.InvalidSpecException;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the platform recorded about the functions: usage and cost, alerts, log lines, results.
 *
 * <pre>
 * GET /v1/usage?function=&since=1h&window=1m                 usage and cost per version  → 200 [row]
 * GET /v1/alerts?since=24h                                   alerts that fired or resolved → 200 [alert]
 * GET /v1/functions/{name}/logs?since=10m&invocation=&cursor=  log lines to follow        → 200 {lines, cursor}
 * GET /v1/functions/{name}/results?since=10m&cursor=         invocations to follow        → 200 {results, cursor}
 * </pre>
 *
 * Durations read as in a spec ({@code 90s}, {@code 10m}, {@code 1h}) and must be positive. Threads:
 * request threads; each request reads its topic, which blocks the request thread.
 */
final class ObservabilityResource implements ApiResource {

    private static final Duration USAGE_SINCE = Duration.ofHours(1);
    private static final Duration ALERTS_SINCE = Duration.ofHours(24);
    private static final Duration LOGS_SINCE = Duration.ofMinutes(10);

    private final FunctionRegistry registry;
    private final UsageReport usage;
    private final AlertHistory alerts;
    private final FunctionLogs logs;
    private final FunctionResults results;
    private final Clock clock;

    ObservabilityResource(
            FunctionRegistry registry,
            UsageReport usage,
            AlertHistory alerts,
            FunctionLogs logs,
            FunctionResults results,
            Clock clock) {
        this.registry = registry;
        this.usage = usage;
        this.alerts = alerts;
        this.logs = logs;
        this.results = results;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(
                "/v1/usage",
                ctx ->
                        usage(
                                        ctx.queryParam("function"),
                                        ctx.queryParam("since"),
                                        ctx.queryParam("window"))
                                .writeTo(ctx));
        routes.get("/v1/alerts", ctx -> alerts(ctx.queryParam("since")).writeTo(ctx));
        routes.get(
                "/v1/functions/{name}/logs",
                ctx ->
                        logs(
                                        ctx.pathParam("name"),
                                        ctx.queryParam("since"),
                                        ctx.queryParam("invocation"),
                                        ctx.queryParam("cursor"))
                                .writeTo(ctx));
        routes.get(
                "/v1/functions/{name}/results",
                ctx ->
                        results(
                                        ctx.pathParam("name"),
                                        ctx.queryParam("since"),
                                        ctx.queryParam("cursor"))
                                .writeTo(ctx));
    }

    /** Query parameters as given (null when absent). */
    JsonReply usage(String function, String since, String window) {
        List<Map<String, Object>> rows =
                usage.rows(
                        function == null || function.isBlank() ? null : function,
                        duration(since, USAGE_SINCE, "since"),
                        window == null || window.isBlank()
                                ? null
                                : duration(window, null, "window"));
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> withAliases = new LinkedHashMap<>(row);
            out.add(withAliases);
            if (!(row.get("version") instanceof Number)) {
                continue;
            }
            // the aliases sending traffic to the row's version now
            registry.get((String) row.get("function"))
                    .map(
                            head ->
                                    FunctionVersions.aliasesOf(
                                            head, ((Number) row.get("version")).longValue()))
                    .filter(names -> !names.isEmpty())
                    .ifPresent(names -> withAliases.put("aliases", names));
        }
        return JsonReply.ok(out);
    }

    JsonReply alerts(String since) {
        return JsonReply.ok(
                alerts.since(clock.instant().minus(duration(since, ALERTS_SINCE, "since"))).stream()
                        .map(SpecJson::alert)
                        .toList());
    }

    JsonReply logs(String function, String since, String invocation, String cursor) {
        FunctionSpec spec = registry.existing(function);
        Duration back = duration(since, LOGS_SINCE, "since");
        return JsonReply.ok(
                logs.read(spec.getName(), clock.instant().minus(back), invocation, cursor));
    }

    /** A function's recent invocations (results, without their data), to follow with the cursor. */
    JsonReply results(String function, String since, String cursor) {
        FunctionSpec spec = registry.existing(function);
        Duration back = duration(since, LOGS_SINCE, "since");
        return JsonReply.ok(results.read(spec.getName(), clock.instant().minus(back), cursor));
    }

    /** {@code text} as a positive duration, {@code fallback} when blank, else a 400 naming it. */
    static Duration duration(String text, Duration fallback, String name) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            Duration d = FunctionSpecRules.parseDuration(text);
            if (d.isNegative() || d.isZero()) {
                throw ApiException.badRequest(name + " must be positive, e.g. 1h");
            }
            return d;
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest(name + ": " + e.getMessage());
        }
    }
}
