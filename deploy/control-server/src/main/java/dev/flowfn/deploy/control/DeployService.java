package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.schemas.FunctionRuntime;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.InvalidSpecException;
import dev.flowfn.schemas.Trigger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploy use case: checks a {@link DeployRequest} ({@link DeployRequests}) and its code (a jar:
 * {@link JarInspector}; a code archive: {@link CodeArchive}; an {@code http} function has none),
 * stores the code, gives the function its next version, and publishes the jar's schemas, then the
 * spec. A failed check is an {@link ApiException} that says what to fix (400, or 409 for a route
 * another function serves); a store or registry that does not answer is a 503. Nothing is written
 * to the registry unless every check passed.
 *
 * <p>Threads: request threads, concurrently; blocks while it writes.
 */
final class DeployService {

    private static final Logger LOG = LoggerFactory.getLogger(DeployService.class);
    private static final String RESERVED_PREFIX = "/hooks/";

    /** What was deployed: the spec as stored, the jar's schema names, and warnings to show. */
    record Deployed(FunctionSpec spec, List<String> schemas, List<String> warnings) {}

    private final RegistryWrites writes;
    private final CodeRepository code;
    private final SchemaPublisher schemas;
    private final Clock clock;

    DeployService(FunctionRegistry registry, CodeRepository code, SchemaPublisher schemas) {
        this(new RegistryWrites(registry, code), code, schemas, Clock.systemUTC());
    }

    DeployService(
            RegistryWrites writes, CodeRepository code, SchemaPublisher schemas, Clock clock) {
        this.writes = writes;
        this.code = code;
        this.schemas = schemas;
        this.clock = clock;
    }

    /**
     * @param code the jar or zip archive, or null when the request had none (right only for an
     *     {@code http} function)
     */
    Deployed deploy(DeployRequest request, byte[] code) {
        FunctionSpec.Builder spec = DeployRequests.validate(request);
        String alias = request.alias() == null ? null : alias(request.alias());
        int keep = request.keep() == null ? VersionHistory.DEFAULT_KEEP : request.keep();
        refuseReservedRoutes(spec.getTriggers());
        FunctionRuntime runtime = FunctionRuntime.of(spec.getRuntime());
        JarSchemas.Found found = checkCode(runtime, spec.getHandler(), code);
        if (code != null) {
            String sha = sha256(code);
            String extension =
                    runtime.code() == FunctionRuntime.Code.JAR
                            ? CodeRepository.JAR
                            : CodeRepository.ZIP;
            spec.setCodeUri(this.code.put(spec.getName(), sha, extension, code)).setCodeSha256(sha);
        }
        FunctionRegistry registry = writes.registry();
        FunctionSpec deployed =
                writes.update(
                        spec.getName(),
                        current -> {
                            FunctionSpec head =
                                    VersionHistory.deployed(
                                            current,
                                            spec.setVersion(registry.nextVersion(spec.getName()))
                                                    .build(),
                                            alias,
                                            keep,
                                            clock.instant());
                            VersionHistory.checkTriggers(head);
                            RouteTable.of(registry.all())
                                    .conflict(head)
                                    .ifPresent(
                                            conflict -> {
                                                throw new ApiException(409, conflict);
                                            });
                            try {
                                // schemas first: a record the new version emits must be decodable
                                // at once
                                schemas.publish(found.schemas());
                            } catch (IllegalStateException e) {
                                throw new ApiException(503, e.getMessage());
                            }
                            return head;
                        });
        LOG.info(
                "deployed {} version {} ({} {}, {}){}",
                deployed.getName(),
                deployed.getVersion(),
                deployed.getRuntime(),
                code == null ? "without code" : code.length + " bytes",
                deployed.getCodeUri(),
                alias == null ? "" : "; alias " + alias + " points at it");
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

    /** Checks the code a function of {@code runtime} needs; a jar's schemas, else none. */
    private static JarSchemas.Found checkCode(
            FunctionRuntime runtime, String handler, byte[] code) {
        if (runtime.code() == FunctionRuntime.Code.URL) {
            if (code != null) {
                throw ApiException.badRequest(
                        "an http function has no code to upload (the server at its URL runs it);"
                                + " leave out --jar and --code");
            }
            return new JarSchemas.Found(List.of(), List.of());
        }
        if (code == null) {
            throw ApiException.badRequest(
                    "a "
                            + runtime
                            + " function needs its code: send it as the 'code' part of the"
                            + " multipart/form-data request (--"
                            + (runtime.code() == FunctionRuntime.Code.JAR ? "jar" : "code")
                            + " on the command line)");
        }
        if (runtime.code() == FunctionRuntime.Code.JAR) {
            JarInspector.check(code, handler);
            return JarSchemas.in(code);
        }
        try {
            CodeArchive.check(code, runtime, handler);
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return new JarSchemas.Found(List.of(), List.of());
    }

    private static String alias(String alias) {
        try {
            return FunctionSpecRules.alias(alias);
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest(e.getMessage());
        }
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
