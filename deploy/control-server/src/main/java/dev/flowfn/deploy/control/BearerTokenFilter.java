package dev.flowfn.deploy.control;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a request of the REST API through only with {@code Authorization: Bearer <token>}; the token
 * is compared in constant time. Otherwise a 401 that says where the token is. Threads: request
 * threads; immutable.
 */
final class BearerTokenFilter implements Handler {

    static final String MESSAGE =
            "missing or wrong token: send 'Authorization: Bearer <token>'"
                    + " (flowfn local writes it to client.json in its data folder)";

    private final byte[] token;

    BearerTokenFilter(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(Context ctx) {
        check(ctx.header("Authorization"));
    }

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @throws ApiException 401 unless it carries the token
     */
    void check(String authorization) {
        byte[] given =
                authorization != null && authorization.startsWith("Bearer ")
                        ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiException(401, MESSAGE);
        }
    }

    /** Whether {@code given} (what a user typed on the console's sign-in page) is the token. */
    boolean accepts(String given) {
        return given != null
                && MessageDigest.isEqual(given.trim().getBytes(StandardCharsets.UTF_8), token);
    }

    @Override
    public String toString() { // never the token
        return "BearerTokenFilter";
    }
}
