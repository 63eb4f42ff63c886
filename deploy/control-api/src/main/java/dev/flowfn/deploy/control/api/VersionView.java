package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One kept version of a function, as {@code GET /v1/functions/{name}/versions} lists it.
 *
 * @param deployedAt an ISO-8601 instant
 * @param aliases the aliases sending traffic to it, e.g. {@code prod} or {@code prod(10%)}
 * @param latest whether a bare function name runs it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionView(
        long version,
        String codeSha256,
        String handler,
        String deployedAt,
        List<String> aliases,
        boolean latest) {}
