package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.schemas.FunctionSpec;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deploys of each runtime: what the spec holds, what is stored, what is refused. */
class DeployRuntimesTest {

    private final List<String> calls = new ArrayList<>();
    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final InMemoryCode code = new InMemoryCode(calls);
    private final DeployService service =
            new DeployService(registry, code, list -> calls.add("schemas " + list.size()));

    @Test
    void aNodejsZipIsStoredAsAZipAndItsSpecSaysSo() throws Exception {
        byte[] zip =
                TestArchives.zip(
                        "index.js",
                        "exports.handler = async () => 'hi';",
                        "schemas/Reading.avsc",
                        TestJars.READING_SCHEMA);

        FunctionSpec spec =
                service.deploy(TestSpecs.request("js", "nodejs", "index.handler", null), zip)
                        .spec();

        String sha = sha256(zip);
        assertThat(spec.getRuntime()).isEqualTo("nodejs");
        assertThat(spec.getHandler()).isEqualTo("index.handler");
        assertThat(spec.getCodeUri()).isEqualTo("s3://flowfn-code/js/" + sha + ".zip");
        assertThat(spec.getCodeSha256()).isEqualTo(sha);
        assertThat(code.jars).containsKey(spec.getCodeUri());
        // schemas are published from jars only: a node_modules may carry any .avsc
        assertThat(calls).containsExactly("code js " + sha, "schemas 0");
        assertThat(registry.get("js")).contains(spec);
    }

    @Test
    void aPythonArchiveWithDottedPackagesDeploys() {
        byte[] zip =
                TestArchives.zip(
                        "pkg/__init__.py", "", "pkg/orders.py", "def main(e, c): return 'ok'");

        FunctionSpec spec =
                service.deploy(TestSpecs.request("py", "python", "pkg.orders.main", null), zip)
                        .spec();

        assertThat(spec.getRuntime()).isEqualTo("python");
        assertThat(spec.getCodeUri()).endsWith(".zip");
    }

    @Test
    void javaIsTheDefaultAndJavaEmbeddedKeepsTheJarChecks() {
        assertThat(service.deploy(TestSpecs.request("a"), TestJars.handlerJar()).spec())
                .satisfies(s -> assertThat(s.getRuntime()).isEqualTo("java"))
                .satisfies(s -> assertThat(s.getCodeUri()).endsWith(".jar"));
        assertThat(
                        service.deploy(
                                        TestSpecs.request(
                                                "b", "java-embedded", TestJars.HANDLER, null),
                                        TestJars.handlerJar())
                                .spec()
                                .getRuntime())
                .isEqualTo("java-embedded");
        assertThatThrownBy(
                        () ->
                                service.deploy(
                                        TestSpecs.request(
                                                "c", "java-embedded", TestJars.HANDLER, null),
                                        TestJars.notAHandlerJar()))
                .hasMessageStartingWith("handler class " + TestJars.HANDLER + " is not in the jar");
    }

    @Test
    void anHttpFunctionStoresNoCodeAndItsUrlIsTheCodeUri() {
        FunctionSpec spec =
                service.deploy(
                                TestSpecs.request("remote", "http", null, "https://fn.example/a"),
                                null)
                        .spec();

        assertThat(spec.getRuntime()).isEqualTo("http");
        assertThat(spec.getCodeUri()).isEqualTo("https://fn.example/a");
        assertThat(spec.getCodeSha256()).isEmpty();
        assertThat(spec.getHandler()).isEmpty();
        assertThat(calls).containsExactly("schemas 0");
        assertThat(registry.get("remote")).contains(spec);
    }

    @Test
    void wrongCombinationsAre400sThatNameTheFixAndStoreNothing() {
        assertRefused(
                TestSpecs.request("x", "node", "index.handler", null),
                TestArchives.zip("index.js", ""),
                "runtime 'node' is not one of java, java-embedded, nodejs, python, http");
        assertRefused(
                TestSpecs.request("x", "nodejs", "index", null),
                TestArchives.zip("index.js", ""),
                "must be FILE.EXPORT");
        assertRefused(
                TestSpecs.request("x", "python", "handler.main", null),
                TestArchives.zip("main.py", ""),
                "handler.py is not in the code archive");
        assertRefused(
                TestSpecs.request("x", "nodejs", "index.handler", null),
                null,
                "a nodejs function needs its code: send it as the 'code' part");
        assertRefused(
                TestSpecs.request("x", "http", null, null),
                null,
                "function URL 'null' must be the http(s) URL the function is served at");
        assertRefused(
                TestSpecs.request("x", "http", null, "https://fn.example/"),
                TestJars.handlerJar(),
                "an http function has no code to upload");
        assertRefused(
                TestSpecs.request("x", "http", "index.handler", "https://fn.example/"),
                null,
                "an http function has no handler");
        assertRefused(
                TestSpecs.request("x", "nodejs", "index.handler", "https://fn.example/"),
                TestArchives.zip("index.js", ""),
                "a URL is for runtime http only");
        assertThat(calls).isEmpty();
        assertThat(registry.get("x")).isEmpty();
    }

    @Test
    void aDroppedVersionsZipIsDeletedAndAnHttpVersionDeletesNothing() {
        byte[] v1 = TestArchives.zip("index.js", "// 1");
        byte[] v2 = TestArchives.zip("index.js", "// 2");
        RegistryWrites writes = new RegistryWrites(registry, code);
        DeployService keepOne = new DeployService(writes, code, s -> {}, Clock.systemUTC());

        keepOne.deploy(keepOne(TestSpecs.request("f", "nodejs", "index.handler", null)), v1);
        String first = registry.existing("f").getCodeUri();
        keepOne.deploy(keepOne(TestSpecs.request("f", "http", null, "https://fn.example/")), null);
        keepOne.deploy(keepOne(TestSpecs.request("f", "nodejs", "index.handler", null)), v2);

        assertThat(calls)
                .filteredOn(c -> c.startsWith("delete"))
                .containsExactly("delete f " + first);
        assertThat(code.jars.keySet()).containsExactly(registry.existing("f").getCodeUri());
    }

    private static DeployRequest keepOne(DeployRequest r) {
        return new DeployRequest(
                r.name(),
                r.handler(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                1,
                r.runtime(),
                r.url());
    }

    private void assertRefused(DeployRequest request, byte[] code, String message) {
        assertThatThrownBy(() -> service.deploy(request, code))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining(message);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
