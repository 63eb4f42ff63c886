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
import dev.flowfn.deploy.control.api.FunctionSummary;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.KeyEntry;
import dev.flowfn.deploy.control.api.LogPage;
import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.api.RollbackRequest;
import dev.flowfn.deploy.control.api.UsageRow;
import dev.flowfn.deploy.control.api.VersionView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
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

    /**
     * The data-binding mapper, made on first use: building one costs tens of milliseconds in a
     * fresh JVM, and {@code flowfn list} never needs it ({@link #listSummaries}).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final URI server;
    private final String token;

    public ControlClient(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    public FunctionView deploy(DeployRequest spec, String jarName, byte[] jar) {
        return deploy(spec, jarName, jar, UploadListener.NONE);
    }

    /**
     * Deploys a jar (part {@code jar}, which every server takes), telling {@code progress} how much
     * of the upload (spec and jar) has been sent.
     */
    public FunctionView deploy(
            DeployRequest spec, String jarName, byte[] jar, UploadListener progress) {
        return deploy(spec, "jar", jarName, "application/java-archive", jar, progress);
    }

    /**
     * Deploys a {@code nodejs} or {@code python} function's zip archive (part {@code code}),
     * telling {@code progress} how much of the upload has been sent.
     */
    public FunctionView deployArchive(
            DeployRequest spec, String zipName, byte[] zip, UploadListener progress) {
        return deploy(spec, "code", zipName, "application/zip", zip, progress);
    }

    /** Deploys a function without code: an {@code http} function, served at the spec's URL. */
    public FunctionView deployWithoutCode(DeployRequest spec) {
        return deploy(spec, null, null, null, null, UploadListener.NONE);
    }

    private FunctionView deploy(
            DeployRequest spec,
            String partName,
            String fileName,
            String contentType,
            byte[] code,
            UploadListener progress) {
        String boundary = "flowfn-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            part(
                    body,
                    boundary,
                    "Content-Disposition: form-data; name=\"spec\"\r\nContent-Type: application/json",
                    Json.MAPPER.writeValueAsBytes(spec));
            if (code != null) {
                part(
                        body,
                        boundary,
                        "Content-Disposition: form-data; name=\""
                                + partName
                                + "\"; filename=\""
                                + fileName
                                + "\"\r\nContent-Type: "
                                + contentType,
                        code);
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return read(
                send(
                        "POST",
                        "/v1/functions",
                        Duration.ofMinutes(2),
                        "multipart/form-data; boundary=" + boundary,
                        body.toByteArray(),
                        progress),
                FunctionView.class);
    }

    public List<FunctionView> list() {
        return readList(get("/v1/functions", Duration.ofSeconds(30)), FunctionView.class);
    }

    /**
     * Every deployed function with only what {@code flowfn list} prints ({@code GET
     * /v1/functions?view=summary}), read without data binding.
     */
    public List<FunctionSummary> listSummaries() {
        HttpCall.Response response = get("/v1/functions?view=summary", Duration.ofSeconds(30));
        try {
            return FunctionSummaryReader.read(response.body());
        } catch (IOException e) {
            throw new ControlApiException("unexpected answer from the server: " + e.getMessage());
        }
    }

    public FunctionView describe(String name) {
        return read(get("/v1/functions/" + name, Duration.ofSeconds(30)), FunctionView.class);
    }

    public void delete(String name) {
        send(
                "DELETE",
                "/v1/functions/" + name,
                Duration.ofSeconds(60),
                null,
                null,
                UploadListener.NONE);
    }

    public ResultView invoke(String name, byte[] data, String contentType) {
        return read(
                send(
                        "POST",
                        "/v1/functions/" + name + "/invoke",
                        Duration.ofHours(25),
                        contentType,
                        data,
                        UploadListener.NONE),
                ResultView.class);
    }

    /** Publishes an invocation and returns its id without waiting for the result. */
    public String invokeAsync(String name, byte[] data, String contentType) {
        return read(
                        send(
                                "POST",
                                "/v1/functions/" + name + "/invoke?async=true",
                                Duration.ofSeconds(60),
                                contentType,
                                data,
                                UploadListener.NONE),
                        AsyncInvocation.class)
                .invocationId();
    }

    public ResultView result(String invocationId) {
        return read(
                get("/v1/invocations/" + invocationId, Duration.ofSeconds(30)), ResultView.class);
    }

    /** The kept versions of a function, newest first. */
    public List<VersionView> versions(String function) {
        return readList(
                get("/v1/functions/" + function + "/versions", Duration.ofSeconds(30)),
                VersionView.class);
    }

    public List<AliasView> aliases(String function) {
        return readList(
                get("/v1/functions/" + function + "/aliases", Duration.ofSeconds(30)),
                AliasView.class);
    }

    /** Creates or moves an alias; returns it as stored. */
    public AliasView setAlias(String function, String alias, AliasRequest target) {
        return read(
                send(
                        "PUT",
                        "/v1/functions/" + function + "/aliases/" + alias,
                        Duration.ofSeconds(60),
                        "application/json",
                        jsonBody(target),
                        UploadListener.NONE),
                AliasView.class);
    }

    public void deleteAlias(String function, String alias) {
        send(
                "DELETE",
                "/v1/functions/" + function + "/aliases/" + alias,
                Duration.ofSeconds(60),
                null,
                null,
                UploadListener.NONE);
    }

    /**
     * Moves an alias back, or (without one) makes an earlier version the latest again; returns the
     * function as it is then.
     */
    public FunctionView rollback(String function, RollbackRequest request) {
        return read(
                send(
                        "POST",
                        "/v1/functions/" + function + "/rollback",
                        Duration.ofSeconds(60),
                        "application/json",
                        jsonBody(request),
                        UploadListener.NONE),
                FunctionView.class);
    }

    private static byte[] jsonBody(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CreatedKey createKey(String function) {
        return read(
                send(
                        "POST",
                        "/v1/functions/" + function + "/keys",
                        Duration.ofSeconds(60),
                        null,
                        new byte[0],
                        UploadListener.NONE),
                CreatedKey.class);
    }

    public List<KeyEntry> keys(String function) {
        return readList(
                get("/v1/functions/" + function + "/keys", Duration.ofSeconds(30)), KeyEntry.class);
    }

    public void revokeKey(String keyId) {
        send(
                "DELETE",
                "/v1/keys/" + keyId,
                Duration.ofSeconds(60),
                null,
                null,
                UploadListener.NONE);
    }

    public List<UsageRow> usage(String function, String since, String window) {
        StringBuilder q = new StringBuilder("/v1/usage?since=").append(encode(since));
        if (function != null) {
            q.append("&function=").append(encode(function));
        }
        if (window != null) {
            q.append("&window=").append(encode(window));
        }
        return readList(get(q.toString(), Duration.ofSeconds(60)), UsageRow.class);
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
        return read(get(q.toString(), Duration.ofSeconds(60)), LogPage.class);
    }

    public List<AlertView> alerts(String since) {
        return readList(
                get("/v1/alerts?since=" + encode(since), Duration.ofSeconds(60)), AlertView.class);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpCall.Response get(String path, Duration timeout) {
        return send("GET", path, timeout, null, null, UploadListener.NONE);
    }

    private HttpCall.Response send(
            String method,
            String path,
            Duration timeout,
            String contentType,
            byte[] body,
            UploadListener progress) {
        HttpCall.Response response;
        try {
            response =
                    HttpCall.send(
                            method,
                            server.resolve(path),
                            token,
                            timeout,
                            contentType,
                            body,
                            progress);
        } catch (ConnectException e) {
            throw new ControlApiException(
                    "cannot reach the Flowfn control server at "
                            + server
                            + "; start it with ./flowfn local (or point --server at a running one)");
        } catch (IOException e) {
            throw new ControlApiException("request to " + server + " failed: " + e.getMessage());
        }
        if (response.status() >= 300) {
            String message;
            try {
                Object error =
                        Json.MAPPER
                                .readValue(
                                        response.body(),
                                        new TypeReference<Map<String, Object>>() {})
                                .get("error");
                message =
                        error == null
                                ? new String(response.body(), StandardCharsets.UTF_8)
                                : error.toString();
            } catch (IOException e) {
                message = "HTTP " + response.status();
            }
            throw new ControlApiException(message);
        }
        return response;
    }

    private static <T> T read(HttpCall.Response response, Class<T> type) {
        return read(response, Json.MAPPER.constructType(type));
    }

    private static <T> List<T> readList(HttpCall.Response response, Class<T> element) {
        return read(
                response,
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, element));
    }

    private static <T> T read(HttpCall.Response response, JavaType type) {
        try {
            return Json.MAPPER.readValue(response.body(), type);
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
