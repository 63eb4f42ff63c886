package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.api.CreatedKey;
import dev.flowfn.schemas.FunctionSpec;
import io.javalin.config.RoutesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invocation keys of a function's HTTP triggers.
 *
 * <pre>
 * POST   /v1/functions/{name}/keys  a new key (its secret is shown once)  → 201 {keyId, key, function}
 * GET    /v1/functions/{name}/keys                                       → 200 [{keyId, createdAt}]
 * DELETE /v1/keys/{id}                                                   → 204 | 404
 * </pre>
 *
 * Threads: request threads.
 */
final class KeysResource implements ApiResource {

    private static final Logger LOG = LoggerFactory.getLogger(KeysResource.class);

    private final FunctionRegistry registry;
    private final FunctionKeyStore keys;

    KeysResource(FunctionRegistry registry, FunctionKeyStore keys) {
        this.registry = registry;
        this.keys = keys;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1/functions/{name}/keys", ctx -> create(ctx.pathParam("name")).writeTo(ctx));
        routes.get("/v1/functions/{name}/keys", ctx -> list(ctx.pathParam("name")).writeTo(ctx));
        routes.delete("/v1/keys/{id}", ctx -> revoke(ctx.pathParam("id")).writeTo(ctx));
    }

    JsonReply create(String function) throws Exception {
        FunctionSpec spec = registry.existing(function);
        FunctionKeyStore.Created key = keys.create(spec.getName());
        LOG.info("created key {} for {}", key.keyId(), spec.getName());
        return new JsonReply(201, new CreatedKey(key.keyId(), key.key(), spec.getName()));
    }

    JsonReply list(String function) {
        String name = registry.existing(function).getName();
        return JsonReply.ok(keys.list(name).stream().map(SpecJson::key).toList());
    }

    JsonReply revoke(String keyId) throws Exception {
        if (keys.get(keyId).isEmpty()) {
            throw ApiException.notFound("no key " + keyId + "; see 'flowfn keys list FUNCTION'");
        }
        keys.revoke(keyId);
        LOG.info("revoked key {}", keyId);
        return JsonReply.noContent();
    }
}
