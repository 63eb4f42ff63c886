package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One key of {@code GET /v1/functions/{name}/keys}: its id, never the key.
 *
 * @param createdAt an ISO-8601 instant
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyEntry(String keyId, String function, String createdAt) {}
