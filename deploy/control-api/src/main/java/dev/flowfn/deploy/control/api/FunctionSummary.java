package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A deployed function as {@code GET /v1/functions?view=summary} lists it: what {@code flowfn list}
 * prints, and nothing else. The default answer of {@code GET /v1/functions} is the whole {@link
 * FunctionView}, with every version and alias; for 1,000 functions this one is a fraction of it,
 * and a client reads it without building a data-binding reader.
 *
 * @param version the latest version
 * @param timeout e.g. {@code 30s}
 * @param triggers trigger specs as the user wrote them (empty when none, never null)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionSummary(
        String name,
        long version,
        int memoryMb,
        String timeout,
        String handler,
        List<String> triggers) {

    public FunctionSummary {
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
    }
}
