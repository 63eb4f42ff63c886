package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer ({@code 202}) of {@code POST /v1/functions/{name}/invoke?async=true}: the invocation
 * was published; fetch its {@link ResultView} later by this id.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AsyncInvocation(String invocationId) {}
