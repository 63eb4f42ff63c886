package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What a user asks to deploy: the JSON {@code spec} part of {@code POST /v1/functions} (the other
 * part is the code: a jar or zip; none for an {@code http} function). Field names match the CLI
 * flags; a null field takes the server's default. The server checks every field and names the bad
 * one.
 *
 * @param handler a class ({@code java}, {@code java-embedded}), {@code FILE.EXPORT} ({@code
 *     nodejs}), {@code module.function} ({@code python}), or null ({@code http})
 * @param timeout a duration as in a spec, e.g. {@code 30s}
 * @param retries retries after the first attempt
 * @param triggers trigger specs as the user wrote them, e.g. {@code http:POST /orders}
 * @param env environment variables (sent, never shown back: a {@link FunctionView} lists names)
 * @param alerts alert rules, e.g. {@code error-rate>5%/5m}
 * @param alertWebhook where alerts are POSTed, or null
 * @param outputs where the function writes, e.g. {@code s3://photos/thumbs/}
 * @param alias an alias to move to the new version in the same step, or null
 * @param keep how many versions to keep (newest first; versions an alias uses are kept too), or
 *     null for the server's default
 * @param runtime {@code java}, {@code java-embedded}, {@code nodejs}, {@code python} or {@code
 *     http}; null for the server's default ({@code java})
 * @param url the function's http(s) URL, for runtime {@code http} only
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL) // a field left out takes the server's default
public record DeployRequest(
        String name,
        String handler,
        Integer memoryMb,
        String timeout,
        Integer concurrency,
        Integer retries,
        List<String> triggers,
        Map<String, String> env,
        List<String> alerts,
        String alertWebhook,
        List<String> outputs,
        String alias,
        Integer keep,
        String runtime,
        String url) {

    /** A request of the default runtime (java). */
    public DeployRequest(
            String name,
            String handler,
            Integer memoryMb,
            String timeout,
            Integer concurrency,
            Integer retries,
            List<String> triggers,
            Map<String, String> env,
            List<String> alerts,
            String alertWebhook,
            List<String> outputs,
            String alias,
            Integer keep) {
        this(
                name,
                handler,
                memoryMb,
                timeout,
                concurrency,
                retries,
                triggers,
                env,
                alerts,
                alertWebhook,
                outputs,
                alias,
                keep,
                null,
                null);
    }

    /** A request that moves no alias and keeps the default number of versions. */
    public DeployRequest(
            String name,
            String handler,
            Integer memoryMb,
            String timeout,
            Integer concurrency,
            Integer retries,
            List<String> triggers,
            Map<String, String> env,
            List<String> alerts,
            String alertWebhook,
            List<String> outputs) {
        this(
                name,
                handler,
                memoryMb,
                timeout,
                concurrency,
                retries,
                triggers,
                env,
                alerts,
                alertWebhook,
                outputs,
                null,
                null);
    }

    /** Leaves the environment's values out: they may be credentials. */
    @Override
    public String toString() {
        return "DeployRequest[name="
                + name
                + ", runtime="
                + runtime
                + ", handler="
                + handler
                + ", triggers="
                + triggers
                + ", env="
                + (env == null ? null : env.keySet())
                + "]";
    }
}
