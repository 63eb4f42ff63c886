package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.testfns.Sleeper;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.examples.webapp.ProfilePage;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.testing.TestJars;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP triggers through the gateway of a real local platform, with curl and Java clients. */
class HttpTriggerIT {

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;
    static String gateway;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatforms.start(dir, Map.of());
        client = TestPlatforms.client(platform, dir);
        gateway = platform.gatewayUrl();
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "profile-page",
                        "handler",
                        ProfilePage.class.getName(),
                        "triggers",
                        List.of("http:route=/u/{user},methods=GET,auth=anonymous")),
                "webapp.jar",
                jarOf(ProfilePage.class));
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "orders",
                        "handler",
                        Upper.class.getName(),
                        "concurrency",
                        64,
                        "triggers",
                        List.of("http:route=/api/orders,methods=POST,auth=key")),
                "hello.jar",
                jarOf(Upper.class));
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "slow",
                        "handler",
                        Sleeper.class.getName(),
                        "timeout",
                        "1s",
                        "retries",
                        0,
                        "triggers",
                        List.of("http:route=/slow,methods=GET,auth=anonymous")),
                "sleeper.jar",
                TestJars.of(Sleeper.class));
        key = String.valueOf(client.createKey("orders").key());
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void curlGetsPagesAndClearErrors() throws Exception {
        Curl alice = curl(gateway + "/u/alice");
        assertThat(alice.status).isEqualTo(200);
        assertThat(alice.body).contains("<h1>Alice Liddell</h1>").contains("&lt;script&gt;");
        assertThat(alice.headers)
                .containsIgnoringCase("content-type: text/html")
                .containsIgnoringCase("charset=utf-8");

        Curl json = curl("-H", "Accept: application/json", gateway + "/u/bob");
        assertThat(json.body).startsWith("{\"user\":\"bob\"");

        Curl unknown = curl(gateway + "/u/mallory");
        assertThat(unknown.status).as("404 from the function").isEqualTo(404);
        assertThat(unknown.body).contains("No such user");

        Curl noKey = curl("-X", "POST", "-d", "{}", gateway + "/api/orders");
        assertThat(noKey.status).isEqualTo(401);
        assertThat(noKey.body).contains("missing or wrong function key");
        Curl wrongKey =
                curl(
                        "-X",
                        "POST",
                        "-H",
                        "Authorization: Bearer ffk_nope_x",
                        "-d",
                        "{}",
                        gateway + "/api/orders");
        assertThat(wrongKey.status).isEqualTo(401);
        assertThat(wrongKey.body).doesNotContain("ffk_nope_x");

        Curl ok =
                curl(
                        "-X",
                        "POST",
                        "-H",
                        "Authorization: Bearer " + key,
                        "-H",
                        "Content-Type: application/json",
                        "-d",
                        "{\"item\":\"tea\"}",
                        gateway + "/api/orders");
        assertThat(ok.status).isEqualTo(200);
        assertThat(ok.body).isEqualTo("{\"ITEM\":\"TEA\"}");

        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[7 * 1024 * 1024]);
        Curl tooBig =
                curl(
                        "-X",
                        "POST",
                        "-H",
                        "Authorization: Bearer " + key,
                        "--data-binary",
                        "@" + big,
                        gateway + "/api/orders");
        assertThat(tooBig.status).isEqualTo(413);
        assertThat(tooBig.body).contains("over the limit");

        Curl wrongMethod = curl(gateway + "/api/orders");
        assertThat(wrongMethod.status).isEqualTo(405);
        assertThat(wrongMethod.headers).containsIgnoringCase("allow: POST");
        assertThat(curl(gateway + "/nowhere").status).isEqualTo(404);

        Curl slow = curl(gateway + "/slow");
        assertThat(slow.status).isEqualTo(504);
        assertThat(slow.body).contains("timeout");
    }

    @Test
    void asyncCallsAnswer202AndTheResultCanBeFetched() throws Exception {
        Curl accepted =
                curl(
                        "-X",
                        "POST",
                        "-H",
                        "Authorization: Bearer " + key,
                        "-H",
                        "Prefer: respond-async",
                        "-d",
                        "later",
                        gateway + "/api/orders");
        assertThat(accepted.status).isEqualTo(202);
        String id = accepted.body.replaceAll(".*\"invocationId\":\"([^\"]+)\".*", "$1");
        ResultView result = null;
        for (int i = 0; i < 100 && result == null; i++) {
            try {
                result = client.result(id);
            } catch (RuntimeException notYet) {
                Thread.sleep(100);
            }
        }
        assertThat(result).isNotNull();
        assertThat(result.success()).isTrue();
        assertThat(result.data()).isEqualTo("LATER");
    }

    @Test
    void tenThousandRequestsFromFiftyClientsAreEachAnsweredAndCommittedOnce() throws Exception {
        int requests = 10_000;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String body = "order-" + i;
            answers.add(
                    clients.submit(
                            () -> {
                                HttpResponse<String> r =
                                        http.send(
                                                HttpRequest.newBuilder(
                                                                URI.create(gateway + "/api/orders"))
                                                        .header("Authorization", "Bearer " + key)
                                                        .POST(
                                                                HttpRequest.BodyPublishers.ofString(
                                                                        body))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString());
                                return r.statusCode()
                                        + " "
                                        + r.body()
                                        + " "
                                        + r.headers().firstValue("X-Flowfn-Invocation").orElse("");
                            }));
        }
        List<String> invocationIds = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String[] answer = answers.get(i).get().split(" ");
            assertThat(answer[0] + " " + answer[1]).isEqualTo("200 ORDER-" + i);
            invocationIds.add(answer[2]);
        }
        clients.shutdown();
        assertThat(Set.copyOf(invocationIds))
                .as("every request its own invocation")
                .hasSize(requests);

        List<InvocationResult> committed =
                ResultsReader.read(
                        platform.kafkaBootstrap(),
                        r ->
                                r.getFunction().equals("orders")
                                        && r.getData().remaining() > 6
                                        && StandardCharsets.UTF_8
                                                .decode(r.getData().duplicate())
                                                .toString()
                                                .startsWith("ORDER-"),
                        requests,
                        Duration.ofSeconds(120));
        Set<String> committedIds =
                committed.stream()
                        .map(InvocationResult::getInvocationId)
                        .collect(Collectors.toSet());
        assertThat(committed).as("each request's event committed exactly once").hasSize(requests);
        assertThat(committedIds).isEqualTo(Set.copyOf(invocationIds));
        assertThat(replies("push"))
                .as(
                        "answers whose result the job pushed to the gateway (the rest read it from Kafka)")
                .isGreaterThan(requests / 2);
    }

    /** The gateway's synchronous answers whose result came {@code via} push or topic. */
    private static long replies(String via) throws Exception {
        String metrics =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(platform.controlUrl() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile(
                                "flowfn_gateway_replies_total\\{via=\"" + via + "\"} (\\d+)")
                        .matcher(metrics);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void fuzzedRequestsNeverGet500() throws Exception {
        Random random = new Random(42);
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
        String[] prefixes = {"/u/", "/api/orders", "/slow/", "/", "/u/alice/", "/%2e%2e/", "/api/"};
        for (int i = 0; i < 300; i++) {
            StringBuilder path = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            String[] tokens = {
                "a", "Z", "0", "9", "-", ".", "_", "~", "%20", "%2F", "%00", "%C3%A9", "..", "/",
                "{x}"
            };
            for (int j = random.nextInt(12); j > 0; j--) {
                String t = tokens[random.nextInt(tokens.length)];
                path.append(t.equals("{x}") ? "%7Bx%7D" : t);
            }
            byte[] body = new byte[random.nextInt(2000)];
            random.nextBytes(body);
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(gateway + path))
                            .timeout(Duration.ofSeconds(10))
                            .method(
                                    methods[random.nextInt(methods.length)],
                                    HttpRequest.BodyPublishers.ofByteArray(body))
                            .header(
                                    "X-Fuzz-" + random.nextInt(100),
                                    Long.toHexString(random.nextLong()))
                            .header(
                                    "Content-Type",
                                    random.nextBoolean()
                                            ? "application/json"
                                            : "x/" + random.nextInt());
            if (random.nextBoolean()) {
                request.header(
                        "Authorization",
                        random.nextBoolean() ? "Bearer " + key : "Bearer ffk_" + random.nextInt());
            }
            if (path.toString().startsWith("/slow")) {
                continue; // 5 s each; covered above
            }
            HttpRequest built = request.build();
            HttpResponse<String> r;
            // a fresh connection each time: the gateway may close one after a request it rejects
            // (e.g. Jetty's 400 for an ambiguous path), which a pooled client would then reuse.
            // Jetty answers such a request before reading its body and closes; on a busy machine
            // the client may still be sending the body, and the reset that follows can take the
            // answer with it (seen once in 300 in CI: "header parser received no bytes"). So one
            // lost answer is asked again; a gateway that does not answer twice fails.
            try {
                r = sendOnceMore(built);
            } catch (java.io.IOException e) {
                throw new AssertionError(
                        "no answer to "
                                + built.method()
                                + " "
                                + path
                                + " ("
                                + body.length
                                + " bytes): "
                                + e,
                        e);
            }
            assertThat(r.statusCode()).as(path.toString()).isNotEqualTo(500);
            assertThat(r.statusCode()).as(path.toString()).isLessThan(502);
        }
        assertThat(curl(gateway + "/u/alice").status).as("still serving").isEqualTo(200);
    }

    /** Sends on a fresh connection; if no answer came, once more on another. */
    private static HttpResponse<String> sendOnceMore(HttpRequest request) throws Exception {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException lost) {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private record Curl(int status, String headers, String body) {}

    private static Curl curl(String... args) throws Exception {
        Path headers = Files.createTempFile(dir, "h", ".txt");
        List<String> command =
                new ArrayList<>(
                        List.of("curl", "-s", "-D", headers.toString(), "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("curl exit").isZero();
        int cut = out.lastIndexOf('\n');
        return new Curl(
                Integer.parseInt(out.substring(cut + 1).trim()),
                Files.readString(headers),
                out.substring(0, cut));
    }

    private static byte[] jarOf(Class<?> c) throws Exception {
        return Files.readAllBytes(
                Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }
}
