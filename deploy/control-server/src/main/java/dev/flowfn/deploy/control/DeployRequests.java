package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.schemas.AlertRule;
import dev.flowfn.schemas.FunctionRuntime;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.InvalidSpecException;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Trigger;
import dev.flowfn.schemas.TriggerSpecs;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's checks of a {@link DeployRequest} (the JSON part of the multipart deploy): {@link
 * #validate} checks every field, names the bad one, and fills in the defaults.
 */
public final class DeployRequests {

    public static final int DEFAULT_MEMORY_MB = 256;
    public static final String DEFAULT_TIMEOUT = "30s";
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final long DEFAULT_BACKOFF_MS = 200;

    private static List<String> alertRules(List<String> alerts) {
        List<String> rules = new ArrayList<>();
        for (String rule : alerts == null ? List.<String>of() : alerts) {
            rules.add(AlertRule.parse(rule).text());
        }
        return rules;
    }

    private static String webhook(String alertWebhook) {
        if (alertWebhook == null || alertWebhook.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(alertWebhook.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri.toString();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidSpecException(
                "alert webhook '"
                        + alertWebhook
                        + "' must be an http(s) URL, e.g. http://alerts.example/flowfn");
    }

    /**
     * The validated spec, with its runtime; without code location, version and time (the server
     * adds them), except for an {@code http} function, whose code URI is its URL (and whose
     * codeSha256 is empty).
     */
    public static FunctionSpec.Builder validate(DeployRequest request) {
        String timeout = request.timeout();
        List<String> triggers = request.triggers();
        Map<String, String> env = request.env();
        List<String> outputs = request.outputs();
        Integer memoryMb = request.memoryMb();
        Integer concurrency = request.concurrency();
        Integer retries = request.retries();
        try {
            Duration timeoutValue =
                    FunctionSpecRules.timeout(
                            FunctionSpecRules.parseDuration(
                                    timeout == null ? DEFAULT_TIMEOUT : timeout));
            List<Trigger> parsed = new ArrayList<>();
            for (String t : triggers == null ? List.<String>of() : triggers) {
                parsed.add(TriggerSpecs.parse(t));
            }
            Map<String, String> envValues = new LinkedHashMap<>();
            if (env != null) {
                env.forEach(
                        (k, v) -> envValues.put(FunctionSpecRules.envName(k), v == null ? "" : v));
            }
            List<String> outputLocations = new ArrayList<>();
            for (String o : outputs == null ? List.<String>of() : outputs) {
                outputLocations.add(OutputLocations.parse(o));
            }
            String name = FunctionSpecRules.name(request.name());
            FunctionRuntime runtime = FunctionSpecRules.runtime(request.runtime());
            FunctionSpec.Builder spec =
                    FunctionSpec.newBuilder()
                            .setName(name)
                            .setRuntime(runtime.id())
                            .setHandler(FunctionSpecRules.handler(runtime, request.handler()));
            if (runtime == FunctionRuntime.HTTP) {
                spec.setCodeUri(FunctionSpecRules.functionUrl(request.url())).setCodeSha256("");
            } else if (request.url() != null) {
                throw new InvalidSpecException(
                        "a URL is for runtime http only (a function served by someone else);"
                                + " a "
                                + runtime
                                + " function's code is uploaded: leave out --url");
            }
            return spec.setMemoryMb(
                            FunctionSpecRules.memoryMb(
                                    memoryMb == null ? DEFAULT_MEMORY_MB : memoryMb))
                    .setTimeoutMs(timeoutValue.toMillis())
                    .setMaxConcurrency(
                            FunctionSpecRules.concurrency(
                                    concurrency == null ? DEFAULT_CONCURRENCY : concurrency))
                    .setRetry(
                            RetryPolicy.newBuilder()
                                    .setMaxAttempts(
                                            FunctionSpecRules.attempts(
                                                    retries == null
                                                            ? DEFAULT_ATTEMPTS
                                                            : retries + 1))
                                    .setBackoffMs(DEFAULT_BACKOFF_MS)
                                    .build())
                    .setTriggers(parsed)
                    .setEnv(envValues)
                    .setAlerts(alertRules(request.alerts()))
                    .setAlertWebhook(webhook(request.alertWebhook()))
                    .setOutputs(outputLocations)
                    .setDeployedAt(Instant.now());
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private DeployRequests() {}
}
