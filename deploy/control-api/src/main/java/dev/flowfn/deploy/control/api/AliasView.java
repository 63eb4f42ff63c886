package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An alias of a function: the version it points at, and a split while a canary runs.
 *
 * @param canaryVersion the version that gets {@code canaryWeight} percent of the partition keys, or
 *     null when the alias does not split
 * @param rollbackOn the alert rule that moves the alias back while the split lasts, or null
 * @param previousVersion where the alias pointed before its last move ('flowfn rollback' goes
 *     there), or null
 * @param movedAt an ISO-8601 instant
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AliasView(
        String name,
        long version,
        Long canaryVersion,
        int canaryWeight,
        String rollbackOn,
        Long previousVersion,
        String movedAt) {

    /** {@code prod -> 3}, or {@code prod -> 3 (90%), 4 (10%)}. */
    public String describe() {
        return canaryVersion == null
                ? name + " -> " + version
                : name
                        + " -> "
                        + version
                        + " ("
                        + (100 - canaryWeight)
                        + "%), "
                        + canaryVersion
                        + " ("
                        + canaryWeight
                        + "%)";
    }
}
