package dev.flowfn.deploy.control;

import java.time.Instant;
import java.util.Map;

/**
 * A function's recent invocations as their results on {@code flowfn.results} show them, with a
 * cursor to follow new ones. {@link ResultLog} reads Kafka; tests use a lambda.
 *
 * <p>Threads: request threads; each call reads the topic and blocks its thread.
 */
@FunctionalInterface
interface FunctionResults {

    /**
     * {@code {"results": [...], "cursor": "..."}}: from {@code cursor}, or from {@code since} when
     * there is none, oldest first.
     */
    Map<String, Object> read(String function, Instant since, String cursor);
}
