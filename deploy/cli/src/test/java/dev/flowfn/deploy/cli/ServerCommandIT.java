package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.local.DataDir;
import dev.flowfn.deploy.local.DeploySpecs;
import dev.flowfn.deploy.local.LocalPlatform;
import dev.flowfn.deploy.local.LocalSettings;
import dev.flowfn.examples.hello.Upper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code flowfn server} processes over one platform's Kafka and object store, as two replicas
 * behind a load balancer: what is deployed, and keys created, through one is served by the other.
 */
class ServerCommandIT {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    @TempDir static Path dir;
    static LocalPlatform platform;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Server> servers = new ArrayList<>();

    @BeforeAll
    static void startPlatform() throws Exception {
        platform =
                LocalPlatform.start(
                        LocalSettings.embedded(
                                new DataDir(dir.resolve("platform")),
                                Duration.ofMillis(500),
                                2,
                                Map.of()),
                        new PrintWriter(System.out, true));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void twoReplicasServeTheSameFunctionsKeysAndRoutes() throws Exception {
        String token = "it-" + UUID.randomUUID();
        Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
        Server a = start("a", Map.of("FLOWFN_TOKEN", token));
        Server b = start("b", Map.of(), "--token-file", tokenFile.toString());
        awaitReady(a);
        awaitReady(b);
        assertThat(String.join("\n", a.output))
                .contains("Control API   " + a.apiUrl())
                .contains("HTTP gateway  " + a.gatewayUrl())
                .doesNotContain(token)
                .doesNotContain(platform.s3Credentials().secretKey());

        ControlClient clientA = new ControlClient(URI.create(a.apiUrl()), token);
        ControlClient clientB = new ControlClient(URI.create(b.apiUrl()), token);
        Path jar = Path.of(Upper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        FunctionView deployed =
                clientA.deploy(
                        DeploySpecs.of(
                                "name",
                                "upper",
                                "handler",
                                Upper.class.getName(),
                                "timeout",
                                "5s",
                                "triggers",
                                List.of("http:route=/api/upper,methods=POST,auth=key")),
                        "hello.jar",
                        Files.readAllBytes(jar));
        assertThat(deployed.name()).isEqualTo("upper");
        assertThat(deployed.version()).isEqualTo(1);

        await(
                "replica B lists the function deployed through A",
                b,
                () -> clientB.list().stream().anyMatch(f -> "upper".equals(f.name())));
        ResultView result =
                clientB.invoke(
                        "upper", "\"hello\"".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(result.success()).isTrue();
        assertThat(result.data()).isEqualTo("\"HELLO\"");

        String key = String.valueOf(clientA.createKey("upper").key());
        await(
                "replica B's gateway takes the key created on A",
                b,
                () -> post(b.gatewayUrl() + "/api/upper", key, "\"key\"").statusCode() == 200);
        HttpResponse<String> viaB = post(b.gatewayUrl() + "/api/upper", key, "\"gateway\"");
        assertThat(viaB.body()).isEqualTo("\"GATEWAY\"");
        assertThat(post(b.gatewayUrl() + "/api/upper", "ffk_wrong_x", "\"x\"").statusCode())
                .isEqualTo(401);

        for (Server s : List.of(a, b)) {
            new ProcessBuilder("kill", "-TERM", Long.toString(s.process.pid())).start().waitFor();
        }
        for (Server s : List.of(a, b)) {
            assertThat(s.process.waitFor(30, TimeUnit.SECONDS))
                    .as("server " + s.name + " stops within 30 s of SIGTERM")
                    .isTrue();
            assertThat(s.process.exitValue()).as("exit code of " + s.name).isIn(0, 143);
            s.reader.join(5_000);
            assertThat(s.output).as("server " + s.name + " output").contains("Stopped.");
        }
    }

    @Test
    void withoutKafkaItExitsTwoAndNamesTheFix() throws Exception {
        Process p =
                java("server", "--s3-endpoint", platform.s3Endpoint())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output)
                .contains("error: give exactly one of --kafka HOST:PORT or --kafka-config FILE");
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Server s : servers) {
            if (s.process.isAlive()) {
                s.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private record Server(
            String name,
            Process process,
            Thread reader,
            List<String> output,
            int port,
            int gatewayPort) {
        String apiUrl() {
            return "http://127.0.0.1:" + port;
        }

        String gatewayUrl() {
            return "http://127.0.0.1:" + gatewayPort;
        }
    }

    private Server start(String name, Map<String, String> env, String... extra) throws Exception {
        int port = freePort();
        int gatewayPort = freePort();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "server",
                                "--kafka",
                                platform.kafkaBootstrap(),
                                "--s3-endpoint",
                                platform.s3Endpoint(),
                                "--port",
                                Integer.toString(port),
                                "--gateway-port",
                                Integer.toString(gatewayPort),
                                "--result-slack",
                                "12s",
                                "--log-dir",
                                dir.resolve("logs-" + name).toString()));
        args.addAll(List.of(extra));
        ProcessBuilder pb = java(args.toArray(String[]::new)).redirectErrorStream(true);
        pb.environment().put("FLOWFN_S3_ACCESS_KEY", platform.s3Credentials().accessKey());
        pb.environment().put("FLOWFN_S3_SECRET_KEY", platform.s3Credentials().secretKey());
        pb.environment().putAll(env);
        Process process = pb.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = CliProcesses.follow(process, output, "[server " + name + "] ");
        Server server = new Server(name, process, reader, output, port, gatewayPort);
        servers.add(server);
        return server;
    }

    private void awaitReady(Server s) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            assertThat(s.process.isAlive())
                    .as("server " + s.name + " exited: " + s.output)
                    .isTrue();
            try {
                HttpResponse<String> ready =
                        http.send(
                                HttpRequest.newBuilder(URI.create(s.apiUrl() + "/ready")).build(),
                                HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    assertThat(ready.body()).isEqualTo("ready");
                    HttpResponse<String> health =
                            http.send(
                                    HttpRequest.newBuilder(URI.create(s.apiUrl() + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    assertThat(health.statusCode()).isEqualTo(200);
                    return;
                }
            } catch (IOException notListeningYet) {
                // it listens once it has caught up with the registry
            }
            assertThat(System.nanoTime())
                    .as("server " + s.name + " not ready in 120 s: " + s.output)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> post(String url, String key, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Polls {@code condition} for 30 s on {@code server}. A refused connection counts as "not yet",
     * so a failure says whether the server was still running and what it printed.
     */
    private static void await(String what, Server server, Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        IOException last = null;
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            assertThat(server.process.isAlive())
                    .as(
                            "server "
                                    + server.name
                                    + " exited while awaiting: "
                                    + what
                                    + "; output: "
                                    + server.output)
                    .isTrue();
            assertThat(System.nanoTime())
                    .as(
                            what
                                    + " within 30 s; last error: "
                                    + last
                                    + "; output of server "
                                    + server.name
                                    + ": "
                                    + server.output)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** A free port not handed out before in this test class (four are taken before any binds). */
    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static ProcessBuilder java(String... args) {
        return CliProcesses.flowfn("256m", args);
    }
}
