package dev.flowfn.job.internal;

/**
 * What a trigger or a direct invocation runs: a function and a qualifier (a version number, an
 * alias, or null for the latest version), resolved per event by {@link DeployedFunction#resolve}.
 */
public record Target(DeployedFunction function, String qualifier) {}
