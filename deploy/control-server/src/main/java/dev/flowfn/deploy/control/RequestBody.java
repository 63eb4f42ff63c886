package dev.flowfn.deploy.control;

import io.javalin.http.Context;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request's body into an array of its exact size when the request declares its length.
 * Javalin's {@link Context#bodyAsBytes} copies through a fresh 8 KiB chunk and a growing buffer on
 * every request, which for the gateway's small bodies was most of what it allocated per request
 * (bench scenario 8: 1.3 GB of 11 GB in 70 s of load). A body without a declared length (chunked)
 * goes through Javalin's reader, and so does one declared over the limit: Javalin reads up to its
 * limit and answers 413, as before; nothing is allocated for a length a client only claims.
 */
final class RequestBody {

    /** The longest array the JVM makes. */
    static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /**
     * The body.
     *
     * @param limitBytes the server's {@code maxRequestSize}
     * @throws EOFException if the client sent fewer bytes than it declared
     */
    static byte[] read(Context ctx, long limitBytes) throws IOException {
        long declared = ctx.contentLength();
        // past an array's size (a limit configured at 2 GiB or more), Javalin's reader decides too
        if (declared < 0 || declared > Math.min(limitBytes, MAX_ARRAY_BYTES)) {
            return ctx.bodyAsBytes();
        }
        byte[] body = new byte[(int) declared];
        InputStream in = ctx.req().getInputStream();
        int at = 0;
        while (at < body.length) {
            int n = in.read(body, at, body.length - at);
            if (n < 0) {
                throw new EOFException(
                        "the request body ended after " + at + " of its " + declared + " bytes");
            }
            at += n;
        }
        return body;
    }

    private RequestBody() {}
}
