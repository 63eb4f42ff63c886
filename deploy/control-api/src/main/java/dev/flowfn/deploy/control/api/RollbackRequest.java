package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /v1/functions/{name}/rollback}.
 *
 * @param alias the alias to move back, or null to make an earlier version the latest again (as a
 *     new version with that version's code and settings)
 * @param to the version to go back to, or null for the alias's previous version (or, without an
 *     alias, the version before the latest)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RollbackRequest(String alias, Long to) {}
