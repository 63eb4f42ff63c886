package dev.flowfn.deploy.control.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.control.api.AlertView;
import dev.flowfn.deploy.control.api.AliasRequest;
import dev.flowfn.deploy.control.api.AliasView;
import dev.flowfn.deploy.control.api.AsyncInvocation;
import dev.flowfn.deploy.control.api.CreatedKey;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.KeyEntry;
import dev.flowfn.deploy.control.api.LogPage;
import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.api.RollbackRequest;
import dev.flowfn.deploy.control.api.UsageRow;
import dev.flowfn.deploy.control.api.VersionView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Java client of the control server's REST API (what the CLI and the benchmarks use). It sends
 * and returns the records of {@code dev.flowfn.deploy.control.api}. Throws {@link
 * ControlApiException} with the server's message.
 */
public final class ControlClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ControlClient(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    public FunctionView deploy(DeployRequest spec, String jarName, byte[] jar) {
        String boundary = "flowfn-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            part(
                    body,
                    boundary,
                    "Content-Disposition: form-data; name=\"spec\"\r\nContent-Type: application/json",
                    JSON.writeValueAsBytes(spec));
            part(
                    body,
                    boundary,
                    "Content-Disposition: form-data; name=\"jar\"; filename=\""
                            + jarName
                            + "\"\r\nContent-Type: application/java-archive",
                    jar);
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request =
                request("/v1/functions", Duration.ofMinutes(2))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build();
        return read(send(request), FunctionView.class);
    }

    public List<FunctionView> list() {
        return readList(
                send(request("/v1/functions", Duration.ofSeconds(30)).GET().build()),
                FunctionView.class);
    }

    public FunctionView describe(String name) {
        return read(
                send(request("/v1/functions/" + name, Duration.ofSeconds(30)).GET().build()),
                FunctionView.class);
    }

    public void delete(String name) {
        send(request("/v1/functions/" + name, Duration.ofSeconds(60)).DELETE().build());
    }

    public ResultView invoke(String name, byte[] data, String contentType) {
        return read(
                send(
                        request("/v1/functions/" + name + "/invoke", Duration.ofHours(25))
                                .header("Content-Type", contentType)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                                .build()),
                ResultView.class);
    }

    /** Publishes an invocation and returns its id without waiting for the result. */
    public String invokeAsync(String name, byte[] data, String contentType) {
        return read(
                        send(
                                request(
                                                "/v1/functions/" + name + "/invoke?async=true",
                                                Duration.ofSeconds(60))
                                        .header("Content-Type", contentType)
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                                        .build()),
                        AsyncInvocation.class)
                .invocationId();
    }

    public ResultView result(String invocationId) {
        return read(
                send(
                        request("/v1/invocations/" + invocationId, Duration.ofSeconds(30))
                                .GET()
                                .build()),
                ResultView.class);
    }

    /** The kept versions of a function, newest first. */
    public List<VersionView> versions(String function) {
        return readList(
                send(
                        request("/v1/functions/" + function + "/versions", Duration.ofSeconds(30))
                                .GET()
                                .build()),
                VersionView.class);
    }

    public List<AliasView> aliases(String function) {
        return readList(
                send(
                        request("/v1/functions/" + function + "/aliases", Duration.ofSeconds(30))
                                .GET()
                                .build()),
                AliasView.class);
    }

    /** Creates or moves an alias; returns it as stored. */
    public AliasView setAlias(String function, String alias, AliasRequest target) {
        return read(
                send(
                        request(
                                        "/v1/functions/" + function + "/aliases/" + alias,
                                        Duration.ofSeconds(60))
                                .header("Content-Type", "application/json")
                                .PUT(jsonBody(target))
                                .build()),
                AliasView.class);
    }

    public void deleteAlias(String function, String alias) {
        send(
                request("/v1/functions/" + function + "/aliases/" + alias, Duration.ofSeconds(60))
                        .DELETE()
                        .build());
    }

    /**
     * Moves an alias back, or (without one) makes an earlier version the latest again; returns the
     * function as it is then.
     */
    public FunctionView rollback(String function, RollbackRequest request) {
        return read(
                send(
                        request("/v1/functions/" + function + "/rollback", Duration.ofSeconds(60))
                                .header("Content-Type", "application/json")
                                .POST(jsonBody(request))
                                .build()),
                FunctionView.class);
    }

    private static HttpRequest.BodyPublisher jsonBody(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public CreatedKey createKey(String function) {
        return read(
                send(
                        request("/v1/functions/" + function + "/keys", Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build()),
                CreatedKey.class);
    }

    public List<KeyEntry> keys(String function) {
        return readList(
                send(
                        request("/v1/functions/" + function + "/keys", Duration.ofSeconds(30))
                                .GET()
                                .build()),
                KeyEntry.class);
    }

    public void revokeKey(String keyId) {
        send(request("/v1/keys/" + keyId, Duration.ofSeconds(60)).DELETE().build());
    }

    public List<UsageRow> usage(String function, String since, String window) {
        StringBuilder q = new StringBuilder("/v1/usage?since=").append(encode(since));
        if (function != null) {
            q.append("&function=").append(encode(function));
        }
        if (window != null) {
            q.append("&window=").append(encode(window));
        }
        return readList(
                send(request(q.toString(), Duration.ofSeconds(60)).GET().build()), UsageRow.class);
    }

    public LogPage logs(String function, String since, String invocation, String cursor) {
        StringBuilder q =
                new StringBuilder("/v1/functions/" + function + "/logs?since=")
                        .append(encode(since));
        if (invocation != null) {
            q.append("&invocation=").append(encode(invocation));
        }
        if (cursor != null) {
            q.append("&cursor=").append(encode(cursor));
        }
        return read(
                send(request(q.toString(), Duration.ofSeconds(60)).GET().build()), LogPage.class);
    }

    public List<AlertView> alerts(String since) {
        return readList(
                send(
                        request("/v1/alerts?since=" + encode(since), Duration.ofSeconds(60))
                                .GET()
                                .build()),
                AlertView.class);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(server.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new ControlApiException(
                    "cannot reach the Flowfn control server at "
                            + server
                            + "; start it with ./flowfn local (or point --server at a running one)");
        } catch (IOException e) {
            throw new ControlApiException("request to " + server + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlApiException("interrupted");
        }
        if (response.statusCode() >= 300) {
            String message;
            try {
                Object error =
                        JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {})
                                .get("error");
                message =
                        error == null
                                ? new String(response.body(), StandardCharsets.UTF_8)
                                : error.toString();
            } catch (IOException e) {
                message = "HTTP " + response.statusCode();
            }
            throw new ControlApiException(message);
        }
        return response;
    }

    private static <T> T read(HttpResponse<byte[]> response, Class<T> type) {
        return read(response, JSON.constructType(type));
    }

    private static <T> List<T> readList(HttpResponse<byte[]> response, Class<T> element) {
        return read(response, JSON.getTypeFactory().constructCollectionType(List.class, element));
    }

    private static <T> T read(HttpResponse<byte[]> response, JavaType type) {
        try {
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new ControlApiException("unexpected answer from the server: " + e.getMessage());
        }
    }

    private static void part(
            ByteArrayOutputStream body, String boundary, String headers, byte[] content)
            throws IOException {
        body.write(
                ("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
}
