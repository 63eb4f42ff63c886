package dev.flowfn.deploy.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.control.api.AliasRequest;
import dev.flowfn.deploy.control.api.RollbackRequest;
import dev.flowfn.deploy.control.api.VersionView;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionVersions;
import io.javalin.config.RoutesConfig;
import java.io.IOException;

/**
 * Versions and aliases of a function.
 *
 * <pre>
 * GET    /v1/functions/{name}/versions           kept versions, newest first     → 200 [version]
 * GET    /v1/functions/{name}/aliases                                             → 200 [alias]
 * PUT    /v1/functions/{name}/aliases/{alias}    body: AliasRequest JSON          → 200 alias | 400 | 404
 * DELETE /v1/functions/{name}/aliases/{alias}                                     → 204 | 404 | 409
 * POST   /v1/functions/{name}/rollback           body: RollbackRequest JSON       → 200 spec | 400 | 404
 * </pre>
 *
 * ({@code DELETE /v1/functions/{name}:{version}} deletes a kept version: {@link
 * FunctionsResource}.) Threads: request threads.
 */
final class VersionsResource implements ApiResource {

    private final ObjectMapper json =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final FunctionRegistry registry;
    private final AliasService aliases;

    VersionsResource(FunctionRegistry registry, AliasService aliases) {
        this.registry = registry;
        this.aliases = aliases;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(
                "/v1/functions/{name}/versions",
                ctx -> versions(ctx.pathParam("name")).writeTo(ctx));
        routes.get(
                "/v1/functions/{name}/aliases", ctx -> aliases(ctx.pathParam("name")).writeTo(ctx));
        routes.put(
                "/v1/functions/{name}/aliases/{alias}",
                ctx ->
                        setAlias(ctx.pathParam("name"), ctx.pathParam("alias"), ctx.body())
                                .writeTo(ctx));
        routes.delete(
                "/v1/functions/{name}/aliases/{alias}",
                ctx -> deleteAlias(ctx.pathParam("name"), ctx.pathParam("alias")).writeTo(ctx));
        routes.post(
                "/v1/functions/{name}/rollback",
                ctx -> rollback(ctx.pathParam("name"), ctx.body()).writeTo(ctx));
    }

    JsonReply versions(String name) {
        FunctionSpec head = registry.existing(name);
        return JsonReply.ok(
                FunctionVersions.kept(head).stream()
                        .map(
                                v ->
                                        new VersionView(
                                                v.getVersion(),
                                                v.getCodeSha256(),
                                                v.getHandler(),
                                                v.getDeployedAt().toString(),
                                                FunctionVersions.aliasesOf(head, v.getVersion()),
                                                v.getVersion() == head.getVersion()))
                        .toList());
    }

    JsonReply aliases(String name) {
        return JsonReply.ok(SpecJson.aliases(registry.existing(name)));
    }

    JsonReply setAlias(String name, String alias, String body) {
        return JsonReply.ok(
                SpecJson.alias(aliases.set(name, alias, read(body, AliasRequest.class))));
    }

    JsonReply deleteAlias(String name, String alias) {
        aliases.delete(name, alias);
        return JsonReply.noContent();
    }

    JsonReply rollback(String name, String body) {
        RollbackRequest request =
                body == null || body.isBlank()
                        ? new RollbackRequest(null, null)
                        : read(body, RollbackRequest.class);
        return JsonReply.ok(SpecJson.spec(aliases.rollback(name, request)));
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw ApiException.badRequest(
                    "the body is not a valid " + type.getSimpleName() + ": " + e.getMessage());
        }
    }
}
