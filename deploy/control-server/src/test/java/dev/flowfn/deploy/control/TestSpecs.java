package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.schemas.FunctionSpec;
import java.util.List;

/** Specs and deploy requests for tests, made the way a deploy makes them. */
final class TestSpecs {

    /** A request for {@link TestJars#HANDLER} with these triggers. */
    static DeployRequest request(String name, String... triggers) {
        return new DeployRequest(
                name,
                TestJars.HANDLER,
                null,
                null,
                null,
                null,
                List.of(triggers),
                null,
                null,
                null,
                null);
    }

    /** A request of {@code runtime} with this handler (or null) and URL (or null), no triggers. */
    static DeployRequest request(String name, String runtime, String handler, String url) {
        return new DeployRequest(
                name, handler, null, null, null, null, null, null, null, null, null, null, null,
                runtime, url);
    }

    /** A deployed spec (version {@code version}) of {@link #request}. */
    static FunctionSpec deployed(String name, long version, String... triggers) {
        return DeployRequests.validate(request(name, triggers))
                .setVersion(version)
                .setCodeUri("s3://flowfn-code/" + name + "/0.jar")
                .setCodeSha256("0")
                .build();
    }

    private TestSpecs() {}
}
