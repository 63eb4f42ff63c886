package dev.flowfn.deploy.control;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer of the web console's own routes (a page, an asset, a redirect), built without HTTP so
 * that {@link ConsoleResource} is tested without a server. Every answer forbids caching and framing
 * and allows scripts, styles and images from this server only.
 *
 * @param body null for none
 * @param headers extra headers ({@code Location}, {@code Set-Cookie})
 */
record ConsolePage(int status, String contentType, byte[] body, Map<String, String> headers) {

    /** Scripts and styles from this server only: a value that slipped into a page cannot run. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
                    + " object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    static ConsolePage html(int status, String html) {
        return new ConsolePage(
                status,
                "text/html; charset=utf-8",
                html.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    /** A 303 to {@code location} (after a POST the browser follows with a GET). */
    static ConsolePage redirect(String location) {
        return new ConsolePage(303, null, null, Map.of("Location", location));
    }

    /** This answer with one more header. */
    ConsolePage withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ConsolePage(status, contentType, body, h);
    }

    String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    void writeTo(Context ctx) {
        ctx.status(status);
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("Referrer-Policy", "no-referrer");
        headers.forEach(ctx::header);
        if (body != null) {
            ctx.contentType(contentType).result(body);
        }
    }
}
