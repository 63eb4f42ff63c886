package dev.flowfn.deploy.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.Progress;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionVersions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/functions}: deploy, list, describe, delete.
 *
 * <pre>
 * POST   /v1/functions          multipart: spec (JSON DeployRequest), code (jar or zip; 'jar' is
 *                               its older name, taken too; none for runtime http) → 201 spec
 * GET    /v1/functions                                                           → 200 [spec]
 * GET    /v1/functions?view=summary  what 'flowfn list' prints                    → 200 [summary]
 * GET    /v1/functions/{name}   the spec and its latest progress report          → 200 spec | 404
 * DELETE /v1/functions/{name}                                                    → 204 | 404
 * POST   /v1/jars/handlers      multipart: jar (file); the classes it offers as handlers → 200 [class]
 * </pre>
 *
 * Describe takes {@code name:version} or {@code name:alias} too (that version alone); delete takes
 * {@code name:version} (a kept version no alias uses).
 *
 * <p>Threads: request threads.
 */
final class FunctionsResource implements ApiResource {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionsResource.class);
    private static final Duration PROGRESS_LOOKBACK = Duration.ofHours(24);
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper json =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final FunctionRegistry registry;
    private final DeployService deploys;
    private final AliasService aliases;
    private final FunctionProgress progress;
    private final Clock clock;

    FunctionsResource(
            FunctionRegistry registry,
            DeployService deploys,
            AliasService aliases,
            FunctionProgress progress,
            Clock clock) {
        this.registry = registry;
        this.deploys = deploys;
        this.aliases = aliases;
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(
                "/v1/functions",
                ctx ->
                        deploy(ctx.formParam("spec"), file(ctx, "jar"), file(ctx, "code"))
                                .writeTo(ctx));
        routes.get("/v1/functions", ctx -> list(ctx.queryParam("view")).writeTo(ctx));
        routes.get("/v1/functions/{name}", ctx -> describe(ctx.pathParam("name")).writeTo(ctx));
        routes.delete("/v1/functions/{name}", ctx -> delete(ctx.pathParam("name")).writeTo(ctx));
        routes.post("/v1/jars/handlers", ctx -> handlers(file(ctx, "jar")).writeTo(ctx));
    }

    /**
     * @param specJson the {@code spec} part (a JSON {@link DeployRequest}), or null when missing
     * @param jar the {@code jar} part (the code's older part name), or null when missing
     * @param code the {@code code} part, or null when missing
     */
    JsonReply deploy(String specJson, byte[] jar, byte[] code) {
        if (specJson == null) {
            throw ApiException.badRequest(
                    "a deploy is multipart/form-data with the parts 'spec' (JSON) and 'code' (the"
                            + " jar or zip; none for runtime http)");
        }
        if (jar != null && code != null) {
            throw ApiException.badRequest(
                    "send the code once: as the 'code' part ('jar' is its older name), not both");
        }
        DeployRequest request;
        try {
            request = json.readValue(specJson, DeployRequest.class);
        } catch (IOException e) {
            throw ApiException.badRequest("the 'spec' part is not valid JSON: " + e.getMessage());
        }
        DeployService.Deployed deployed = deploys.deploy(request, code != null ? code : jar);
        return new JsonReply(
                201,
                SpecJson.spec(deployed.spec())
                        .withDeployed(deployed.schemas(), deployed.warnings()));
    }

    /** The handler classes of a jar, for a deploy form to offer (nothing is deployed). */
    JsonReply handlers(byte[] jar) {
        if (jar == null) {
            throw ApiException.badRequest(
                    "send the jar as the 'jar' part of a multipart/form-data request");
        }
        return JsonReply.ok(JarInspector.handlers(jar));
    }

    /**
     * Every function, by name: whole ({@code view} null or {@code full}, what the console reads),
     * or as {@code summary}, the columns of {@code flowfn list} alone.
     */
    JsonReply list(String view) {
        if (view == null || view.equals("full")) {
            return JsonReply.ok(registry.all().stream().map(SpecJson::spec).toList());
        }
        if (view.equals("summary")) {
            return JsonReply.ok(registry.all().stream().map(SpecJson::summary).toList());
        }
        throw ApiException.badRequest(
                "view must be 'summary' or 'full' (the default), not '" + view + "'");
    }

    /** The spec, and the latest progress report of the function's handlers (last 24 h). */
    JsonReply describe(String name) {
        Addressed target = Addressed.of(registry, name);
        if (!target.address().latest()) {
            // one version, as it was deployed
            return JsonReply.ok(SpecJson.spec(FunctionVersions.alone(target.version())));
        }
        FunctionSpec spec = target.head();
        Map<String, Object> latest =
                progress.latest(spec.getName(), clock.instant().minus(PROGRESS_LOOKBACK));
        // the progress report is still built as a map (ProgressView); ApiShapesTest pins its shape
        FunctionView out =
                SpecJson.spec(spec)
                        .withProgress(
                                latest == null ? null : json.convertValue(latest, Progress.class));
        return JsonReply.ok(out);
    }

    JsonReply delete(String name) throws Exception {
        Addressed target = Addressed.of(registry, name);
        if (target.address().pinned()) {
            aliases.deleteVersion(target.head().getName(), target.address().version());
            return JsonReply.noContent();
        }
        if (target.address().alias() != null) {
            throw ApiException.badRequest(
                    "'"
                            + name
                            + "' is an alias; delete it with 'flowfn alias delete "
                            + target.head().getName()
                            + " "
                            + target.address().alias()
                            + "', or a version with 'flowfn delete "
                            + target.head().getName()
                            + ":VERSION'");
        }
        FunctionSpec spec = target.head();
        registry.delete(spec.getName(), REGISTRY_TIMEOUT);
        LOG.info("deleted {}", spec.getName());
        return JsonReply.noContent();
    }

    private static byte[] file(Context ctx, String part) throws IOException {
        UploadedFile file = ctx.uploadedFile(part);
        if (file == null) {
            return null;
        }
        try (InputStream in = file.content()) {
            return in.readAllBytes();
        }
    }
}
