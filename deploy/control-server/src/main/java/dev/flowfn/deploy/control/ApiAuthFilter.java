package dev.flowfn.deploy.control;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Who may call the REST API ({@code /v1/*}): a client with {@code Authorization: Bearer <token>}
 * ({@link BearerTokenFilter}), or the web console's own pages, which send the session cookie
 * ({@link SessionCookie}) and the header {@value #CONSOLE_HEADER}. The header is what a page of
 * another site cannot add without the browser asking this server first (a CORS preflight, which it
 * does not answer), on top of the cookie's {@code SameSite=Strict}.
 *
 * <p>Threads: request threads; immutable, the sessions are thread-safe.
 */
final class ApiAuthFilter implements Handler {

    /** The header the console's scripts send with each API call (value {@code 1}). */
    static final String CONSOLE_HEADER = "X-Flowfn-Console";

    static final String MISSING_HEADER =
            "a console session calls the API with the header '" + CONSOLE_HEADER + ": 1'";

    private final BearerTokenFilter bearer;
    private final ConsoleSessions sessions;

    ApiAuthFilter(BearerTokenFilter bearer, ConsoleSessions sessions) {
        this.bearer = bearer;
        this.sessions = sessions;
    }

    @Override
    public void handle(Context ctx) {
        check(ctx.header("Authorization"), ctx.header("Cookie"), ctx.header(CONSOLE_HEADER));
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param cookie the {@code Cookie} header, or null
     * @param consoleHeader the {@value #CONSOLE_HEADER} header, or null
     * @throws ApiException 401 unless the request carries the token or a live console session; 403
     *     for a session without the console header
     */
    void check(String authorization, String cookie, String consoleHeader) {
        if (authorization == null && sessions.isValid(SessionCookie.sessionId(cookie))) {
            if (!"1".equals(consoleHeader)) {
                throw new ApiException(403, MISSING_HEADER);
            }
            return;
        }
        bearer.check(authorization);
    }

    @Override
    public String toString() { // never the token or a session id
        return "ApiAuthFilter";
    }
}
