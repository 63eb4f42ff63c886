package dev.flowfn.deploy.control.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * One request to the control server, over {@link HttpURLConnection}. Not {@code
 * java.net.http.HttpClient}: in a freshly started JVM that one costs about half a second of CPU
 * (its TLS set-up, selector thread and asynchronous pipeline) where this costs some 30 ms, and a
 * CLI command is one short-lived request. Threads: runs on the caller's thread, which it blocks.
 */
final class HttpCall {

    /** The answer: its status and whole body (the error body for 4xx and 5xx). */
    record Response(int status, byte[] body) {}

    static final int CHUNK_BYTES = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private HttpCall() {}

    /**
     * Sends {@code method uri} with the bearer {@code token}, and {@code body} (null: none) of
     * {@code contentType}, telling {@code progress} as the body is written; waits up to {@code
     * timeout} for each read of the answer.
     */
    static Response send(
            String method,
            URI uri,
            String token,
            Duration timeout,
            String contentType,
            byte[] body,
            UploadListener progress)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        connection.setRequestProperty("Authorization", "Bearer " + token);
        connection.setRequestProperty("Accept", "application/json");
        if (body != null) {
            connection.setDoOutput(true);
            if (contentType != null) {
                connection.setRequestProperty("Content-Type", contentType);
            }
            // streamed as written, so progress is real; and a streamed request is never resent by
            // the connection on its own (a POST sent twice could invoke twice)
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                write(out, body, progress);
            }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (in == null) {
            return new Response(status, new byte[0]);
        }
        try (in) {
            return new Response(status, in.readAllBytes());
        }
    }

    /** Writes {@code body} in chunks, reporting the bytes written after each. */
    static void write(OutputStream out, byte[] body, UploadListener progress) throws IOException {
        for (int offset = 0; offset < body.length; ) {
            int length = Math.min(CHUNK_BYTES, body.length - offset);
            out.write(body, offset, length);
            offset += length;
            progress.sent(offset, body.length);
        }
        out.flush();
    }
}
