package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client commands as {@code ./flowfn} starts them: their own JVM on the short class path of {@code
 * target/client-classpath.txt} (no Flink, Kafka or platform classes), against a stand-in control
 * server. Proves that class path is enough for them, and that a platform command asks for the whole
 * one (exit 75).
 */
class ClientClassPathIT {

    private static final String FUNCTION =
            "{\"name\":\"hello\",\"version\":3,\"runtime\":\"java\",\"handler\":\"a.B\",\"memoryMb\":256,"
                    + "\"timeout\":\"30s\",\"concurrency\":16,\"retries\":2,\"triggers\":[\"kafka:topic=t\"],"
                    + "\"env\":[],\"alerts\":[],\"alertWebhook\":null,\"outputs\":[],\"codeUri\":\"s3://c/h.jar\","
                    + "\"codeSha256\":\"ab\",\"deployedAt\":\"2026-01-01T00:00:00Z\"}";

    private static HttpServer server;
    @TempDir static Path dataDir;

    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void startServer() throws IOException {
        Map<String, String> answers =
                Map.of(
                        "/v1/functions", "[" + FUNCTION + "]",
                        "/v1/functions/hello", FUNCTION,
                        "/v1/functions/hello/invoke",
                                "{\"invocationId\":\"inv-1\",\"function\":\"hello\",\"version\":3,"
                                        + "\"success\":true,\"data\":\"HELLO\",\"status\":200,\"attempts\":1,\"durationMs\":1.5}",
                        "/v1/functions/hello/logs",
                                "{\"lines\":[{\"time\":\"2026-01-01T00:00:01Z\",\"level\":\"INFO\",\"version\":3,"
                                        + "\"invocationId\":\"inv-1\",\"attempt\":1,\"message\":\"said hello\"}],\"cursor\":\"c\"}");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    String answer = answers.get(exchange.getRequestURI().getPath());
                    byte[] body =
                            (answer != null ? answer : "{\"error\":\"no function 'x'\"}")
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(answer != null ? 200 : 404, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
        Files.writeString(
                dataDir.resolve("client.json"),
                "{\"server\":\"http://127.0.0.1:"
                        + server.getAddress().getPort()
                        + "\",\"token\":\"t\"}");
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static Run client(String... args) throws Exception {
        Path target = Path.of("target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar =
                    files.filter(f -> f.getFileName().toString().matches("cli-[0-9].*\\.jar"))
                            .findFirst()
                            .orElseThrow(() -> new IllegalStateException("package the CLI first"));
        }
        String classPath =
                jar + ":" + Files.readString(target.resolve("client-classpath.txt")).strip();
        assertThat(classPath).doesNotContain("flink").doesNotContain("kafka-clients");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dflowfn.classpath=client",
                                "-cp",
                                classPath,
                                FlowfnCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("FLOWFN_SERVER");
        pb.environment().remove("FLOWFN_TOKEN");
        pb.environment().put("FLOWFN_DATA_DIR", dataDir.toString());
        Path out = Files.createTempFile(dataDir, "out", ".txt");
        Path err = Files.createTempFile(dataDir, "err", ".txt");
        Process process = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void listDescribeInvokeAndLogsRunOnTheClientClassPath() throws Exception {
        Run list = client("list");
        assertThat(list.err).isEmpty();
        assertThat(list.exit).isZero();
        assertThat(list.out).contains("NAME").contains("hello").contains("kafka:topic=t");

        Run describe = client("describe", "hello");
        assertThat(describe.exit).isZero();
        assertThat(describe.out).contains("handler:     a.B");

        Run invoke = client("invoke", "hello", "--data", "\"hello\"");
        assertThat(invoke.exit).isZero();
        assertThat(invoke.out.strip()).isEqualTo("HELLO");

        Run logs = client("logs", "hello");
        assertThat(logs.exit).isZero();
        assertThat(logs.out).contains("said hello");
    }

    @Test
    void errorsAndHelpToo() throws Exception {
        Run missing = client("describe", "x");
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).isEqualTo("error: no function 'x'" + System.lineSeparator());

        Run help = client("--help");
        assertThat(help.exit).isZero();
        assertThat(help.err).isEmpty();
        assertThat(help.out).contains("local").contains("completion");

        Run typo = client("lst");
        assertThat(typo.exit).isEqualTo(2);
        assertThat(typo.err).contains("Did you mean: list?");
    }

    @Test
    void initRunsOnTheClientClassPath() throws Exception {
        for (String runtime : List.of("java", "nodejs", "python")) {
            Path dir = dataDir.resolve("init-" + runtime);
            Run init = client("init", "--runtime", runtime, "fn", "--dir", dir.toString());

            assertThat(init.err).isEmpty();
            assertThat(init.exit).isZero();
            assertThat(init.out).contains("Deploy it:  ");
        }
    }

    @Test
    void aPlatformCommandAsksForTheWholeClassPath() throws Exception {
        Run local = client("local", "--help");

        assertThat(local.exit).isEqualTo(FlowfnCli.NEEDS_PLATFORM_CLASS_PATH);
        assertThat(local.out).isEmpty();
        assertThat(local.err).isEmpty();
    }
}
