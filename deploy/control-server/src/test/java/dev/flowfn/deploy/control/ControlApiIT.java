package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.control.api.FunctionSummary;
import dev.flowfn.deploy.control.metrics.PrometheusText;
import dev.flowfn.schemas.FunctionKey;
import io.javalin.Javalin;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API over HTTP on a free local port, with in-memory fakes behind it (no Kafka). */
class ControlApiIT {

    private static final String TOKEN = "t0ken";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final FakeResults results = new FakeResults();
    private final ConsoleSessions sessions =
            new ConsoleSessions(ConsoleSessions.DEFAULT_TTL, Clock.systemUTC());
    private Javalin api;
    private String base;

    @BeforeEach
    void start() {
        FunctionLogs noLogs =
                new FunctionLogs() {
                    @Override
                    public Map<String, Object> read(
                            String function, Instant since, String invocation, String cursor) {
                        return Map.of("lines", List.of(), "cursor", "");
                    }
                };
        Clock clock = Clock.systemUTC();
        api =
                ControlApi.create(
                        "127.0.0.1",
                        0,
                        new ApiAuthFilter(new BearerTokenFilter(TOKEN), sessions),
                        new PrometheusText(),
                        List.of(
                                new HealthResource(Map.of()),
                                new FunctionsResource(
                                        registry,
                                        new DeployService(registry, new InMemoryCode(), s -> {}),
                                        new AliasService(
                                                new RegistryWrites(registry, new InMemoryCode()),
                                                clock),
                                        (function, since) -> null,
                                        clock),
                                new InvocationsResource(
                                        registry,
                                        new Invocations(results, results, Duration.ZERO),
                                        results),
                                new KeysResource(
                                        registry,
                                        new FunctionKeys(new InMemoryTable<FunctionKey>(), clock)),
                                new ObservabilityResource(
                                        registry,
                                        (f, s, b) -> List.of(),
                                        from -> List.of(),
                                        noLogs,
                                        (f, s, c) -> Map.of("results", List.of(), "cursor", ""),
                                        clock),
                                new ConsoleResource(
                                        new BearerTokenFilter(TOKEN),
                                        sessions,
                                        new ConsoleAssets()),
                                routes ->
                                        routes.get(
                                                "/v1/boom",
                                                ctx -> {
                                                    throw new IllegalStateException(
                                                            "secret detail");
                                                })));
        api.start();
        base = "http://127.0.0.1:" + api.port();
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    @Test
    void theConsoleSignsInWithTheTokenAndThenCallsTheApiWithItsSession() throws Exception {
        HttpResponse<String> before = HttpClients.send(HttpClients.to(base, "/console/"));
        HttpResponse<String> wrong = HttpClients.send(signIn("not-it"));
        HttpResponse<String> right = HttpClients.send(signIn(TOKEN));

        assertThat(before.statusCode()).isEqualTo(303);
        assertThat(before.headers().firstValue("Location")).hasValue("/console/login");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong token").doesNotContain("not-it");
        assertThat(right.statusCode()).isEqualTo(303);
        String setCookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith(SessionCookie.NAME + "=")
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .doesNotContain(TOKEN);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> page =
                HttpClients.send(HttpClients.to(base, "/console/").header("Cookie", cookie));
        HttpResponse<String> api =
                HttpClients.send(
                        HttpClients.to(base, "/v1/functions")
                                .header("Cookie", cookie)
                                .header(ApiAuthFilter.CONSOLE_HEADER, "1"));
        HttpResponse<String> noHeader =
                HttpClients.send(HttpClients.to(base, "/v1/functions").header("Cookie", cookie));
        HttpResponse<String> script =
                HttpClients.send(HttpClients.to(base, "/console/assets/console.js"));
        HttpResponse<String> out =
                HttpClients.send(
                        HttpClients.to(base, "/console/logout")
                                .header("Cookie", cookie)
                                .POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> after =
                HttpClients.send(
                        HttpClients.to(base, "/v1/functions")
                                .header("Cookie", cookie)
                                .header(ApiAuthFilter.CONSOLE_HEADER, "1"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"/console/assets/console.js\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(noHeader.statusCode()).isEqualTo(403);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/javascript");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(after.statusCode()).isEqualTo(401);
    }

    private HttpRequest.Builder signIn(String token) {
        return HttpClients.to(base, "/console/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                        HttpRequest.BodyPublishers.ofString(
                                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpClients.to(base, path).header("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        HttpResponse<String> health = HttpClients.send(HttpClients.to(base, "/health"));
        HttpResponse<String> metrics = HttpClients.send(HttpClients.to(base, "/metrics"));

        HttpResponse<String> ready = HttpClients.send(HttpClients.to(base, "/ready"));

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/plain");
    }

    @Test
    void theApiNeedsTheToken() throws Exception {
        HttpResponse<String> none = HttpClients.send(HttpClients.to(base, "/v1/functions"));
        HttpResponse<String> wrong =
                HttpClients.send(
                        HttpClients.to(base, "/v1/functions")
                                .header("Authorization", "Bearer nope"));

        for (HttpResponse<String> r : List.of(none, wrong)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(JSON.readTree(r.body()).get("error").asText())
                    .isEqualTo(BearerTokenFilter.MESSAGE);
        }
    }

    @Test
    void deployDescribeListAndDeleteOverHttp() throws Exception {
        HttpResponse<String> deployed =
                HttpClients.send(
                        HttpClients.deploy(
                                authorized("/v1/functions"),
                                "{\"name\":\"upper\",\"handler\":\"" + TestJars.HANDLER + "\"}",
                                TestJars.handlerJarWithSchema()));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        JsonNode spec = JSON.readTree(deployed.body());
        assertThat(spec.get("name").asText()).isEqualTo("upper");
        assertThat(spec.get("version").asLong()).isEqualTo(1);
        assertThat(spec.get("schemas").get(0).asText()).isEqualTo("acme.Reading");

        HttpResponse<String> list = HttpClients.send(authorized("/v1/functions"));
        assertThat(JSON.readTree(list.body()).get(0).get("codeUri").asText())
                .startsWith("s3://flowfn-code/upper/");
        // what 'flowfn list' reads: its columns alone
        HttpResponse<String> summary = HttpClients.send(authorized("/v1/functions?view=summary"));
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(JSON.readValue(summary.body(), FunctionSummary[].class))
                .containsExactly(
                        new FunctionSummary("upper", 1, 256, "30s", TestJars.HANDLER, List.of()));
        assertThat(summary.body()).doesNotContain("codeUri");
        HttpResponse<String> badView = HttpClients.send(authorized("/v1/functions?view=short"));
        assertThat(badView.statusCode()).isEqualTo(400);

        HttpResponse<String> describe = HttpClients.send(authorized("/v1/functions/upper"));
        assertThat(describe.statusCode()).isEqualTo(200);

        HttpResponse<String> delete = HttpClients.send(authorized("/v1/functions/upper").DELETE());
        assertThat(delete.statusCode()).isEqualTo(204);
        assertThat(delete.body()).isEmpty();

        HttpResponse<String> gone = HttpClients.send(authorized("/v1/functions/upper"));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).get("error").asText())
                .isEqualTo("no function named 'upper' is deployed; see 'flowfn list'");
    }

    @Test
    void aDeployWithoutItsSpecIsA400() throws Exception {
        HttpResponse<String> r =
                HttpClients.send(
                        authorized("/v1/functions")
                                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText())
                .startsWith("a deploy is multipart/form-data with the parts 'spec' (JSON)");
    }

    @Test
    void aZipComesAsTheCodePartAndAnHttpFunctionWithNone() throws Exception {
        HttpResponse<String> zip =
                HttpClients.send(
                        HttpClients.deploy(
                                authorized("/v1/functions"),
                                "{\"name\":\"py\",\"runtime\":\"python\","
                                        + "\"handler\":\"handler.main\"}",
                                "code",
                                "py.zip",
                                TestArchives.zip("handler.py", "def main(e, c): return 'hi'")));
        HttpResponse<String> remote =
                HttpClients.send(
                        HttpClients.deploy(
                                authorized("/v1/functions"),
                                "{\"name\":\"remote\",\"runtime\":\"http\","
                                        + "\"url\":\"http://127.0.0.1:9/fn\"}",
                                null,
                                null,
                                null));
        HttpResponse<String> missing =
                HttpClients.send(
                        HttpClients.deploy(
                                authorized("/v1/functions"),
                                "{\"name\":\"js\",\"runtime\":\"nodejs\","
                                        + "\"handler\":\"index.handler\"}",
                                "code",
                                "js.zip",
                                TestArchives.zip("main.js", "")));

        assertThat(zip.statusCode()).as(zip.body()).isEqualTo(201);
        assertThat(JSON.readTree(zip.body()).get("codeUri").asText()).endsWith(".zip");
        assertThat(JSON.readTree(zip.body()).get("runtime").asText()).isEqualTo("python");
        assertThat(remote.statusCode()).as(remote.body()).isEqualTo(201);
        assertThat(JSON.readTree(remote.body()).get("codeUri").asText())
                .isEqualTo("http://127.0.0.1:9/fn");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).get("error").asText())
                .startsWith("index.js is not in the code archive");
    }

    @Test
    void anAsyncInvokeAnswers202WithTheInvocationId() throws Exception {
        registry.with(TestSpecs.deployed("upper", 1));

        HttpResponse<String> r =
                HttpClients.send(
                        authorized("/v1/functions/upper/invoke?async=true")
                                .POST(HttpRequest.BodyPublishers.ofString("hi")));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("invocationId").asText())
                .isEqualTo(results.published.get(0).getId());
    }

    @Test
    void aSyncInvokeAnswersWithTheResultOnAnotherThread() throws Exception {
        registry.with(TestSpecs.deployed("upper", 1));
        results.answering(e -> ResultHandoffTest.result(e.getId(), "HI"));

        HttpResponse<String> r =
                HttpClients.send(
                        authorized("/v1/functions/upper/invoke")
                                .POST(HttpRequest.BodyPublishers.ofString("hi")));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("data").asText()).isEqualTo("HI");
    }

    @Test
    void unknownEndpointsAndFailuresAreJsonErrors() throws Exception {
        HttpResponse<String> unknown = HttpClients.send(authorized("/v1/nothing"));
        HttpResponse<String> boom = HttpClients.send(authorized("/v1/boom"));
        HttpResponse<String> badSince = HttpClients.send(authorized("/v1/usage?since=soon"));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText())
                .isEqualTo("no such endpoint: GET /v1/nothing");
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(boom.body()).get("error").asText())
                .isEqualTo("internal error: IllegalStateException; see the server log");
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badSince.body()).get("error").asText()).startsWith("since: ");
    }
}
