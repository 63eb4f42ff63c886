package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A deployed function version as the API shows it: the answer of deploy ({@code 201}, with {@code
 * schemas} and {@code warnings}), of list (one per function) and of describe (with {@code
 * progress}). Environment variables are listed by name only: their values may be credentials.
 *
 * @param timeout e.g. {@code 30s}
 * @param retries retries after the first attempt
 * @param triggers trigger specs as the user wrote them
 * @param env the environment variables' names, sorted
 * @param alertWebhook null when none (written as {@code null})
 * @param deployedAt an ISO-8601 instant
 * @param schemas deploy only: the Avro schema names the jar carries (empty when none)
 * @param warnings deploy only, and only when there are some: what the user should look at
 * @param progress describe only, and only when there is one: the latest progress report
 * @param aliases the function's aliases (empty when none); on list and describe of the function
 * @param versions the kept version numbers, newest first; on list and describe of the function
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionView(
        String name,
        long version,
        String runtime,
        String handler,
        int memoryMb,
        String timeout,
        int concurrency,
        int retries,
        List<String> triggers,
        List<String> env,
        List<String> alerts,
        String alertWebhook,
        List<String> outputs,
        String codeUri,
        String codeSha256,
        String deployedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> schemas,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> warnings,
        @JsonInclude(JsonInclude.Include.NON_NULL) Progress progress,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<AliasView> aliases,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> versions) {

    /** This view with the deploy answer's schema names and warnings (null or empty: no field). */
    public FunctionView withDeployed(List<String> schemas, List<String> warnings) {
        return new FunctionView(
                name,
                version,
                runtime,
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
                codeUri,
                codeSha256,
                deployedAt,
                schemas,
                warnings == null || warnings.isEmpty() ? null : warnings,
                progress,
                aliases,
                versions);
    }

    /** This view with describe's progress report (null: no field). */
    public FunctionView withProgress(Progress progress) {
        return new FunctionView(
                name,
                version,
                runtime,
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
                codeUri,
                codeSha256,
                deployedAt,
                schemas,
                warnings,
                progress,
                aliases,
                versions);
    }
}
