package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The answer of {@code GET /v1/functions/{name}/logs}: lines, oldest first, and a cursor to pass
 * back to get the lines after them.
 *
 * @param cursor {@code partition:offset,...}; opaque to the client
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LogPage(List<LogLine> lines, String cursor) {}
