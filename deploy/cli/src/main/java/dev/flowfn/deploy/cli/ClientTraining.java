package dev.flowfn.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flowfn.deploy.control.api.FunctionSummary;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.LogLine;
import dev.flowfn.deploy.control.api.LogPage;
import dev.flowfn.deploy.control.api.ResultView;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training run of the client class-data-sharing archive: the {@code ./flowfn} wrapper runs this
 * once with {@code -XX:ArchiveClassesAtExit}, and later client commands start from the classes it
 * loaded, already parsed and verified. It runs the client commands (list, describe, invoke, logs,
 * help, a usage error, an HTTP error) against a stand-in control server on a loopback port, so the
 * archive holds picocli's, Jackson's and the HTTP client's classes as those commands use them.
 * Prints nothing; exits 0.
 */
public final class ClientTraining {

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<FunctionView> functions = new ArrayList<>();
        List<FunctionSummary> summaries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            functions.add(function("fn-" + i));
            summaries.add(
                    new FunctionSummary(
                            "fn-" + i,
                            1,
                            256,
                            "30s",
                            "dev.example.Handler",
                            List.of("kafka:topic=t")));
        }
        Map<String, Object> answers =
                Map.of(
                        "/v1/functions",
                        functions,
                        "/v1/functions?view=summary",
                        summaries,
                        "/v1/functions/fn-1",
                        function("fn-1"),
                        "/v1/functions/fn-1/invoke",
                        new ResultView(
                                "inv-1",
                                "fn-1",
                                1,
                                true,
                                "\"ok\"",
                                null,
                                "application/json",
                                null,
                                null,
                                200,
                                1,
                                0.5),
                        "/v1/functions/fn-1/logs",
                        new LogPage(List.of(new LogLine("t", "INFO", 1, "inv-1", 1, "hi")), "c1"));
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    URI uri = exchange.getRequestURI();
                    Object answer =
                            answers.getOrDefault(
                                    uri.getPath() + "?" + uri.getQuery(),
                                    answers.get(uri.getPath()));
                    byte[] body =
                            answer != null
                                    ? json.writeValueAsBytes(answer)
                                    : "{\"error\":\"no such function\"}".getBytes();
                    exchange.getRequestBody().readAllBytes();
                    reply(exchange, answer != null ? 200 : 404, body);
                });
        server.start();
        Path dataDir = Files.createTempDirectory("flowfn-cds-training");
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Files.writeString(
                    dataDir.resolve("client.json"),
                    "{\"server\":\"" + url + "\",\"token\":\"training\"}");
            String dir = dataDir.toString();
            for (String[] command :
                    List.of(
                            new String[] {"list", "--data-dir", dir},
                            new String[] {"describe", "fn-1", "--data-dir", dir},
                            new String[] {"invoke", "fn-1", "--data", "{}", "--data-dir", dir},
                            new String[] {"logs", "fn-1", "--data-dir", dir},
                            new String[] {"describe", "nosuch", "--data-dir", dir},
                            new String[] {"list", "--help"},
                            new String[] {"--help"},
                            new String[] {"list", "extra"},
                            new String[] {"lst"})) {
                PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
                FlowfnCli.run(command, nowhere, nowhere, true);
            }
        } finally {
            server.stop(0);
            Files.deleteIfExists(dataDir.resolve("client.json"));
            Files.deleteIfExists(dataDir);
        }
        System.exit(0);
    }

    private static FunctionView function(String name) {
        return new FunctionView(
                name,
                1,
                "java",
                "dev.example.Handler",
                256,
                "30s",
                16,
                2,
                List.of("kafka:topic=t"),
                List.of(),
                List.of(),
                null,
                List.of(),
                "s3://flowfn-code/" + name + "/1.jar",
                "ab",
                "2026-01-01T00:00:00Z",
                null,
                null,
                null,
                List.of(),
                List.of(1L));
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        // chunked (length 0), as the control server answers: the client's reader of chunks is then
        // in the archive too
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private ClientTraining() {}
}
