package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.schemas.FunctionSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class DeployServiceTest {

    private final List<String> calls = new ArrayList<>();
    private final InMemoryRegistry registry =
            new InMemoryRegistry() {
                @Override
                public void put(FunctionSpec spec, Duration timeout) throws Exception {
                    calls.add("registry " + spec.getName() + " v" + spec.getVersion());
                    super.put(spec, timeout);
                }
            };
    private final InMemoryCode code = new InMemoryCode(calls);
    private final List<Schema> published = new ArrayList<>();
    private SchemaPublisher schemas =
            list -> {
                calls.add("schemas " + list.size());
                published.addAll(list);
            };

    private DeployService service() {
        return new DeployService(registry, code, list -> schemas.publish(list));
    }

    @Test
    void deploysTheSpecWithItsCodeVersionAndSchemas() throws Exception {
        byte[] jar = TestJars.handlerJarWithSchema();

        DeployService.Deployed deployed =
                service().deploy(TestSpecs.request("upper", "http:route=/up"), jar);

        String sha = sha256(jar);
        FunctionSpec spec = deployed.spec();
        assertThat(spec.getName()).isEqualTo("upper");
        assertThat(spec.getHandler()).isEqualTo(TestJars.HANDLER);
        assertThat(spec.getVersion()).isEqualTo(1);
        assertThat(spec.getCodeSha256()).isEqualTo(sha);
        assertThat(spec.getCodeUri()).isEqualTo("s3://flowfn-code/upper/" + sha + ".jar");
        assertThat(deployed.schemas()).containsExactly("acme.Reading");
        assertThat(deployed.warnings()).isEmpty();
        assertThat(published).extracting(Schema::getFullName).containsExactly("acme.Reading");
        assertThat(registry.get("upper")).contains(spec);
        // the code first, then the schemas, then the spec: what the spec names exists before it
        assertThat(calls).containsExactly("code upper " + sha, "schemas 1", "registry upper v1");
    }

    @Test
    void aBrokenSchemaInTheJarIsAWarningNotAFailure() {
        byte[] jar = TestJars.handlerJarWith("acme/Broken.avsc", "{\"type\":\"record\"");

        DeployService.Deployed deployed = service().deploy(TestSpecs.request("upper"), jar);

        assertThat(deployed.schemas()).isEmpty();
        assertThat(deployed.warnings())
                .singleElement()
                .asString()
                .startsWith("acme/Broken.avsc in the jar is not an Avro schema");
        assertThat(registry.get("upper")).isPresent();
    }

    @Test
    void versionsCountUpPerFunctionAndAcrossDeletes() throws Exception {
        DeployService service = service();
        byte[] jar = TestJars.handlerJar();

        assertThat(service.deploy(TestSpecs.request("a"), jar).spec().getVersion()).isEqualTo(1);
        assertThat(service.deploy(TestSpecs.request("a"), jar).spec().getVersion()).isEqualTo(2);
        assertThat(service.deploy(TestSpecs.request("b"), jar).spec().getVersion()).isEqualTo(1);
        registry.delete("a", Duration.ofSeconds(1));
        assertThat(service.deploy(TestSpecs.request("a"), jar).spec().getVersion()).isEqualTo(3);
        assertThat(registry.get("a").orElseThrow().getVersion()).isEqualTo(3);
    }

    @Test
    void aRouteAnotherFunctionServesIsA409AndNothingIsRegistered() {
        registry.with(TestSpecs.deployed("owner", 4, "http:route=/u/{user},methods=GET|POST"));

        assertThatThrownBy(
                        () ->
                                service()
                                        .deploy(
                                                TestSpecs.request(
                                                        "intruder", "http:route=/u/{name}"),
                                                TestJars.handlerJar()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessage(
                        "route /u/{name} [GET] is already served by function 'owner'"
                                + " (/u/{user}); pick another route or delete that function");
        assertThat(registry.get("intruder")).isEmpty();
        assertThat(calls).noneMatch(c -> c.startsWith("registry") || c.startsWith("schemas"));
    }

    @Test
    void aRedeployMayKeepItsOwnRoute() {
        registry.with(TestSpecs.deployed("owner", 1, "http:route=/u/{user}"));

        FunctionSpec spec =
                service()
                        .deploy(
                                TestSpecs.request("owner", "http:route=/u/{user}"),
                                TestJars.handlerJar())
                        .spec();

        assertThat(spec.getVersion()).isEqualTo(2);
    }

    @Test
    void routesUnderHooksAreReservedAndRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(
                        () ->
                                service()
                                        .deploy(
                                                TestSpecs.request("sneaky", "http:route=/hooks/s3"),
                                                TestJars.handlerJar()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(
                        "trigger 'http:route=/hooks/s3': routes under /hooks/ are reserved for the"
                                + " platform's webhooks; pick another route");
        assertThat(calls).isEmpty();
    }

    @Test
    void aFileThatIsNotAJarIsA400() {
        assertThatThrownBy(
                        () ->
                                service()
                                        .deploy(
                                                TestSpecs.request("upper"),
                                                "not a jar".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("the uploaded file is not a jar")
                .hasMessageEndingWith("build it with mvn package");
        assertThat(calls).isEmpty();
    }

    @Test
    void aHandlerThatIsNotInTheJarIsA400ThatNamesTheFlag() {
        assertThatThrownBy(
                        () ->
                                service()
                                        .deploy(
                                                TestSpecs.request("upper"),
                                                TestJars.notAHandlerJar()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith(
                        "handler class "
                                + TestJars.HANDLER
                                + " is not in the jar; check --handler");
        assertThat(calls).isEmpty();
    }

    @Test
    void aHandlerClassThatDoesNotImplementHandlerIsA400() {
        DeployRequest request =
                new DeployRequest(
                        "upper",
                        TestJars.NOT_A_HANDLER,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);

        assertThatThrownBy(() -> service().deploy(request, TestJars.notAHandlerJar()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(
                        "class "
                                + TestJars.NOT_A_HANDLER
                                + " does not implement dev.flowfn.api.Handler; implement it, or"
                                + " name the class that does");
        assertThat(calls).isEmpty();
    }

    @Test
    void anInvalidRequestIsA400ThatNamesTheField() {
        assertThatThrownBy(
                        () ->
                                service()
                                        .deploy(
                                                TestSpecs.request("Not A Name"),
                                                TestJars.handlerJar()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("Not A Name");
        assertThat(calls).isEmpty();
    }

    @Test
    void aRegistryThatDoesNotTakeTheSpecIsA503() {
        registry.failWrites(new TimeoutException("no ack within 30 s"));

        assertThatThrownBy(
                        () -> service().deploy(TestSpecs.request("upper"), TestJars.handlerJar()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessage(
                        "could not write the function to the registry topic: no ack within 30 s;"
                                + " check that Kafka is up, then retry");
        assertThat(registry.get("upper")).isEmpty();
    }

    @Test
    void schemasThatAreNotAcknowledgedAreA503AndTheSpecIsNotWritten() {
        schemas =
                list -> {
                    throw new IllegalStateException("could not publish schemas to flowfn.schemas");
                };

        assertThatThrownBy(
                        () ->
                                service()
                                        .deploy(
                                                TestSpecs.request("upper"),
                                                TestJars.handlerJarWithSchema()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessage("could not publish schemas to flowfn.schemas");
        assertThat(registry.get("upper")).isEmpty();
        assertThat(registry.writes).isZero();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
