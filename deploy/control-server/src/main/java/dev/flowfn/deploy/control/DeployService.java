package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Trigger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploy use case: checks a {@link DeployRequest} ({@link DeployRequests}) and its jar, stores
 * the code, gives the function its next version, and publishes the jar's schemas, then the spec. A
 * failed check is an {@link ApiException} that says what to fix (400, or 409 for a route another
 * function serves); a store or registry that does not answer is a 503. Nothing is written to the
 * registry unless every check passed.
 *
 * <p>Threads: request threads, concurrently; blocks while it writes.
 */
final class DeployService {

    private static final Logger LOG = LoggerFactory.getLogger(DeployService.class);
    private static final String RESERVED_PREFIX = "/hooks/";
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);

    /** What was deployed: the spec as stored, the jar's schema names, and warnings to show. */
    record Deployed(FunctionSpec spec, List<String> schemas, List<String> warnings) {}

    private final FunctionRegistry registry;
    private final CodeRepository code;
    private final SchemaPublisher schemas;

    DeployService(FunctionRegistry registry, CodeRepository code, SchemaPublisher schemas) {
        this.registry = registry;
        this.code = code;
        this.schemas = schemas;
    }

    Deployed deploy(DeployRequest request, byte[] jar) {
        FunctionSpec.Builder spec = DeployRequests.validate(request);
        refuseReservedRoutes(spec.getTriggers());
        JarInspector.check(jar, spec.getHandler());
        JarSchemas.Found found = JarSchemas.in(jar);
        String sha = sha256(jar);
        spec.setCodeUri(code.put(spec.getName(), sha, jar))
                .setCodeSha256(sha)
                .setVersion(registry.nextVersion(spec.getName()));
        FunctionSpec deployed = spec.build();
        RouteTable.of(registry.all())
                .conflict(deployed)
                .ifPresent(
                        conflict -> {
                            throw new ApiException(409, conflict);
                        });
        try {
            // schemas first: a record the new version emits must be decodable at once
            schemas.publish(found.schemas());
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage());
        }
        try {
            registry.put(deployed, REGISTRY_TIMEOUT);
        } catch (Exception e) {
            throw new ApiException(
                    503, "could not write the function to the registry topic: " + e.getMessage());
        }
        LOG.info(
                "deployed {} version {} ({} bytes, sha256 {})",
                deployed.getName(),
                deployed.getVersion(),
                jar.length,
                sha);
        List<String> warnings =
                new ArrayList<>(
                        OutputLocations.loopWarnings(
                                deployed.getTriggers(), deployed.getOutputs()));
        warnings.addAll(found.problems());
        if (!warnings.isEmpty()) {
            LOG.warn("{}: {}", deployed.getName(), warnings);
        }
        return new Deployed(deployed, found.names(), List.copyOf(warnings));
    }

    private static void refuseReservedRoutes(List<Trigger> triggers) {
        for (Trigger t : triggers) {
            String route = t.getParams().get("route");
            if ("http".equals(t.getKind()) && route != null && route.startsWith(RESERVED_PREFIX)) {
                throw ApiException.badRequest(
                        "trigger '"
                                + t.getText()
                                + "': routes under /hooks/ are reserved for the platform's"
                                + " webhooks; pick another route");
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
