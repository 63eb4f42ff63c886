package dev.flowfn.deploy.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for the *IT tests of the API and the gateway. */
final class HttpClients {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return CLIENT.send(
                request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder to(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    /** A multipart/form-data body of a deploy: the spec as text, the jar as a file. */
    static HttpRequest.Builder deploy(HttpRequest.Builder request, String spec, byte[] jar) {
        return deploy(request, spec, "jar", "fn.jar", jar);
    }

    /** A multipart deploy: the spec, and the code as part {@code part} (none when null). */
    static HttpRequest.Builder deploy(
            HttpRequest.Builder request, String spec, String part, String fileName, byte[] code) {
        String boundary = "flowfn-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(
                body,
                "--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\"spec\"\r\n\r\n"
                        + spec);
        if (code != null) {
            write(
                    body,
                    "\r\n--"
                            + boundary
                            + "\r\nContent-Disposition: form-data; name=\""
                            + part
                            + "\"; filename=\""
                            + fileName
                            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(code);
        }
        write(body, "\r\n--" + boundary + "--\r\n");
        return request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private HttpClients() {}
}
