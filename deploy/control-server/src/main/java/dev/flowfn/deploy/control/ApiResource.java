package dev.flowfn.deploy.control;

import io.javalin.config.RoutesConfig;

/**
 * One noun of the REST API (functions, invocations, keys, ...): registers its routes. The routes
 * only adapt HTTP to the resource's methods, which return {@link JsonReply}s or throw {@link
 * ApiException}s.
 */
interface ApiResource {

    /** Adds this resource's routes; called once, while the server is configured. */
    void register(RoutesConfig routes);
}
