package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code PUT /v1/functions/{name}/aliases/{alias}}: point the alias at {@code version},
 * and optionally send {@code canaryWeight} percent of the partition keys to {@code canaryVersion}.
 *
 * @param rollbackOn an alert rule judged on the canary version's windows (e.g. {@code
 *     error-rate>5%/1m}) that moves the alias back to {@code version} while the split lasts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AliasRequest(
        Long version, Long canaryVersion, Integer canaryWeight, String rollbackOn) {}
