package dev.flowfn.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/** What a handler returns: a payload and its media type. Immutable. */
public final class Result {

    private static final Result EMPTY = new Result(new byte[0], null);

    private final byte[] data;
    private final String contentType;

    private Result(byte[] data, String contentType) {
        this.data = data;
        this.contentType = contentType;
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
        return new Result(data.clone(), contentType);
    }

    public static Result ok(byte[] data) {
        return ok(data, "application/octet-stream");
    }

    /** A text result (UTF-8, {@code text/plain}). */
    public static Result ok(String text) {
        return ok(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    /** A JSON result; the text is passed through as given. */
    public static Result json(String json) {
        return ok(Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public byte[] data() {
        return data.clone();
    }

    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Result r
                && Arrays.equals(data, r.data)
                && Objects.equals(contentType, r.contentType);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Objects.hashCode(contentType);
    }

    @Override
    public String toString() {
        return "Result{" + data.length + " bytes, " + contentType + "}";
    }
}
