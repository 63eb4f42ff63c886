package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionsResourceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final List<String> progressAsked = new ArrayList<>();
    // numbers read as Long, as the in-process maps held them before the replies became records
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private Map<String, Object> progress;
    private final FunctionProgress reports =
            (function, since) -> {
                progressAsked.add(function + " since " + since);
                return progress;
            };
    private final FunctionsResource resource =
            new FunctionsResource(
                    registry,
                    new DeployService(registry, new InMemoryCode(), s -> {}),
                    new AliasService(
                            new RegistryWrites(registry, new InMemoryCode()),
                            Clock.fixed(NOW, ZoneOffset.UTC)),
                    reports,
                    Clock.fixed(NOW, ZoneOffset.UTC));

    private static final String SPEC =
            "{\"name\":\"upper\",\"handler\":\"" + TestJars.HANDLER + "\",\"futureField\":1}";

    @Test
    void aDeployAnswers201WithTheSpecAndTheJarsSchemas() {
        JsonReply reply = resource.deploy(SPEC, TestJars.handlerJarWithSchema(), null);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(body(reply))
                .containsEntry("name", "upper")
                .containsEntry("version", 1L)
                .containsEntry("handler", TestJars.HANDLER)
                .containsEntry("timeout", "30s")
                .containsEntry("schemas", List.of("acme.Reading"))
                .doesNotContainKey("warnings");
        assertThat(registry.get("upper")).isPresent();
    }

    @Test
    void warningsAreShownWhenThereAreSome() {
        JsonReply reply =
                resource.deploy(
                        SPEC,
                        TestJars.handlerJarWith("acme/Broken.avsc", "{\"type\":\"record\""),
                        null);

        assertThat(body(reply)).containsKey("warnings").containsEntry("schemas", List.of());
    }

    @Test
    void aDeployWithoutItsPartsIsA400ThatNamesThem() {
        assertThatThrownBy(() -> resource.deploy(null, TestJars.handlerJar(), null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(
                        "a deploy is multipart/form-data with the parts 'spec' (JSON) and 'code'"
                                + " (the jar or zip; none for runtime http)");
        assertThatThrownBy(() -> resource.deploy(SPEC, null, null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(
                        "a java function needs its code: send it as the 'code' part of the"
                                + " multipart/form-data request (--jar on the command line)");
        assertThatThrownBy(
                        () -> resource.deploy(SPEC, TestJars.handlerJar(), TestJars.handlerJar()))
                .hasMessageStartingWith("send the code once");
        assertThat(registry.get("upper")).isEmpty();
    }

    @Test
    void theCodePartTakesAJarOrAZipAndAnHttpFunctionSendsNone() {
        resource.deploy(SPEC, null, TestJars.handlerJar());
        resource.deploy(
                "{\"name\":\"js\",\"runtime\":\"nodejs\",\"handler\":\"index.handler\"}",
                null,
                TestArchives.zip("index.js", "exports.handler = () => 'hi';"));
        // an older client sends any code as 'jar'
        resource.deploy(
                "{\"name\":\"py\",\"runtime\":\"python\",\"handler\":\"handler.main\"}",
                TestArchives.zip("handler.py", "def main(e, c): return 'hi'"),
                null);
        Map<String, Object> remote =
                body(
                        resource.deploy(
                                "{\"name\":\"remote\",\"runtime\":\"http\","
                                        + "\"url\":\"https://fn.example/remote\"}",
                                null,
                                null));

        assertThat(registry.existing("upper").getRuntime()).isEqualTo("java");
        assertThat(registry.existing("js").getCodeUri()).endsWith(".zip");
        assertThat(registry.existing("py").getRuntime()).isEqualTo("python");
        assertThat(remote)
                .containsEntry("runtime", "http")
                .containsEntry("codeUri", "https://fn.example/remote")
                .containsEntry("codeSha256", "")
                .containsEntry("handler", "");
    }

    @Test
    void aSpecThatIsNotJsonIsA400() {
        assertThatThrownBy(() -> resource.deploy("{name:", TestJars.handlerJar(), null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("the 'spec' part is not valid JSON: ");
    }

    @Test
    void listShowsEverySpecByName() {
        registry.with(TestSpecs.deployed("b", 3), TestSpecs.deployed("a", 1));

        JsonReply reply = resource.list(null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat((List<?>) json(reply))
                .extracting(m -> (Object) ((Map<?, ?>) m).get("name"))
                .containsExactly("a", "b");
        assertThat(json(resource.list("full"))).isEqualTo(json(reply));
    }

    @Test
    void theSummaryHasTheColumnsOfFlowfnListAloneWithTheValuesOfTheWholeSpec() {
        registry.with(
                TestSpecs.deployed("b", 3, "kafka:topic=words", "http:route=/b"),
                TestSpecs.deployed("a", 1));
        List<String> columns =
                List.of("name", "version", "memoryMb", "timeout", "handler", "triggers");

        JsonReply reply = resource.list("summary");

        assertThat(reply.status()).isEqualTo(200);
        List<?> whole = (List<?>) json(resource.list(null));
        List<?> summaries = (List<?>) json(reply);
        assertThat(summaries).hasSameSizeAs(whole);
        for (int i = 0; i < whole.size(); i++) {
            Map<?, ?> summary = (Map<?, ?>) summaries.get(i);
            assertThat(summary.keySet().stream().map(String::valueOf).toList())
                    .containsExactlyInAnyOrderElementsOf(columns);
            Map<?, ?> spec = (Map<?, ?>) whole.get(i);
            for (String column : columns) {
                assertThat(summary.get(column)).as(column).isEqualTo(spec.get(column));
            }
        }
        assertThat(summaries)
                .extracting(m -> (Object) ((Map<?, ?>) m).get("name"))
                .containsExactly("a", "b");
    }

    @Test
    void anUnknownViewIsA400ThatNamesTheViews() {
        assertThatThrownBy(() -> resource.list("short"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("view must be 'summary' or 'full' (the default), not 'short'");
    }

    @Test
    void describeAddsTheLatestProgressOfTheLastDay() {
        registry.with(TestSpecs.deployed("upper", 2));
        progress = Map.of("message", "[progress 50%]");

        JsonReply reply = resource.describe("upper");

        assertThat(body(reply))
                .containsEntry("version", 2L)
                .containsEntry("progress", Map.of("message", "[progress 50%]"));
        assertThat(progressAsked).containsExactly("upper since 2026-02-28T12:00:00Z");
    }

    @Test
    void describeWithoutProgressHasNoProgressField() {
        registry.with(TestSpecs.deployed("upper", 2));

        assertThat(body(resource.describe("upper"))).doesNotContainKey("progress");
    }

    @Test
    void anUnknownFunctionIsA404ThatSaysHowToListThem() {
        assertThatThrownBy(() -> resource.describe("nope"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("no function named 'nope' is deployed; see 'flowfn list'");
        assertThatThrownBy(() -> resource.delete("nope")).isInstanceOf(ApiException.class);
    }

    @Test
    void deleteAnswers204AndTheFunctionIsGone() throws Exception {
        registry.with(TestSpecs.deployed("upper", 2));

        JsonReply reply = resource.delete("upper");

        assertThat(reply).isEqualTo(new JsonReply(204, null));
        assertThat(registry.get("upper")).isEmpty();
    }

    /** The reply's body as a client sees it: written as JSON, read as plain maps and lists. */
    static Map<String, Object> body(JsonReply reply) {
        try {
            return JSON.readValue(
                    JSON.writeValueAsBytes(reply.body()),
                    new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #body}, for any body (a list, too). */
    static Object json(JsonReply reply) {
        try {
            return JSON.readValue(JSON.writeValueAsBytes(reply.body()), Object.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface JsonReplyCall {
        JsonReply run() throws Exception;
    }
}
