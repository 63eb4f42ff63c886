package dev.flowfn.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler returns: a payload and its media type, and for functions behind an HTTP trigger a
 * status code and response headers. Immutable: the {@code with*} methods return copies.
 *
 * <pre>{@code
 * return Result.ok(html, "text/html; charset=utf-8");
 * return Result.json("{\"error\":\"no such user\"}").withStatus(404);
 * }</pre>
 */
public final class Result {

    private static final Result EMPTY = new Result(new byte[0], null, 200, Map.of());

    private final byte[] data;
    private final String contentType;
    private final int status;
    private final Map<String, String> headers;

    private Result(byte[] data, String contentType, int status, Map<String, String> headers) {
        this.data = data;
        this.contentType = contentType;
        this.status = status;
        this.headers = headers;
    }

    /** A result with no payload. */
    public static Result empty() {
        return EMPTY;
    }

    public static Result ok(byte[] data, String contentType) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(contentType, "contentType");
        if (contentType.isBlank()) {
            throw new IllegalArgumentException("contentType must not be blank");
        }
        return new Result(data.clone(), contentType, 200, Map.of());
    }

    public static Result ok(byte[] data) {
        return ok(data, "application/octet-stream");
    }

    /** A text result (UTF-8, {@code text/plain}). */
    public static Result ok(String text) {
        return ok(
                Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8),
                "text/plain");
    }

    /** A JSON result; the text is passed through as given. */
    public static Result json(String json) {
        return ok(
                Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    public byte[] data() {
        return data.length == 0 ? data : data.clone(); // an empty array cannot change: shared
    }

    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** The HTTP status an HTTP trigger answers with; 200 unless set. */
    public int status() {
        return status;
    }

    /** Response headers for an HTTP trigger. Unmodifiable. */
    public Map<String, String> headers() {
        return headers;
    }

    /** This result with another HTTP status (100..599). */
    public Result withStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status " + status + " is not in 100..599");
        }
        return new Result(data, contentType, status, headers);
    }

    /** This result with one more response header (name and value without line breaks). */
    public Result withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c == ':' || c >= 127)) {
            throw new IllegalArgumentException(
                    "header name '" + name + "' is not a valid HTTP token");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header " + name + " has a line break in its value");
        }
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Result(data, contentType, status, Collections.unmodifiableMap(copy));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Result r
                && Arrays.equals(data, r.data)
                && Objects.equals(contentType, r.contentType)
                && status == r.status
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(data), contentType, status, headers);
    }

    @Override
    public String toString() {
        return "Result{" + status + ", " + data.length + " bytes, " + contentType + "}";
    }
}
