package dev.flowfn.deploy.control;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's own routes: its sign-in with the API token, its page and files, its sign-out.
 * The page's scripts then call the REST API with the session ({@link ApiAuthFilter}).
 *
 * <pre>
 * GET  /                         → 303 /console/
 * GET  /console/                 the console (signed in) | 303 /console/login ("/console" too)
 * GET  /console/login            the sign-in page
 * POST /console/login            form: token          → 303 /console/ + session cookie | 401 page
 * POST /console/logout                                 → 303 /console/login, cookie cleared
 * GET  /console/assets/{file}    console.js, console.css (no secrets in them; no session needed)
 * </pre>
 *
 * The token is never written into a page, a log line or an error. Threads: request threads.
 */
final class ConsoleResource implements ApiResource {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleResource.class);

    static final String HOME = "/console/";
    static final String LOGIN = "/console/login";

    static final String WRONG_TOKEN =
            "Wrong token. The console takes the token of the REST API: 'flowfn local' writes it to"
                    + " client.json in its data folder ('flowfn server' reads it from --token-file).";

    private final BearerTokenFilter token;
    private final ConsoleSessions sessions;
    private final ConsoleAssets assets;

    ConsoleResource(BearerTokenFilter token, ConsoleSessions sessions, ConsoleAssets assets) {
        this.token = token;
        this.sessions = sessions;
        this.assets = assets;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ConsolePage.redirect(HOME).writeTo(ctx));
        routes.get(HOME, ctx -> home(session(ctx)).writeTo(ctx));
        routes.get(LOGIN, ctx -> loginPage(session(ctx)).writeTo(ctx));
        routes.post(
                LOGIN,
                ctx -> {
                    ConsolePage page = login(ctx.formParam("token"), secure(ctx));
                    if (page.status() != 303) {
                        LOG.info("console sign-in refused for {}", ctx.ip());
                    }
                    page.writeTo(ctx);
                });
        routes.post("/console/logout", ctx -> logout(session(ctx), secure(ctx)).writeTo(ctx));
        routes.get(
                "/console/assets/{file}",
                ctx ->
                        assets.asset(ctx.pathParam("file"))
                                .orElseThrow(
                                        () ->
                                                ApiException.notFound(
                                                        "no such console file: "
                                                                + ctx.pathParam("file")))
                                .writeTo(ctx));
    }

    /** The console for a signed-in browser, else the way to the sign-in. */
    ConsolePage home(String sessionId) {
        return sessions.isValid(sessionId)
                ? ConsolePage.html(200, assets.indexPage())
                : ConsolePage.redirect(LOGIN);
    }

    ConsolePage loginPage(String sessionId) {
        return sessions.isValid(sessionId)
                ? ConsolePage.redirect(HOME)
                : ConsolePage.html(200, assets.loginPage(""));
    }

    /**
     * Signs in with {@code given} (the form's token field): a new session in a cookie and on to the
     * console, or the sign-in page again with a 401 that says where the token is (and does not
     * repeat what was typed).
     */
    ConsolePage login(String given, boolean secure) {
        if (!token.accepts(given)) {
            return ConsolePage.html(401, assets.loginPage(WRONG_TOKEN));
        }
        return ConsolePage.redirect(HOME)
                .withHeader(
                        "Set-Cookie", SessionCookie.set(sessions.create(), sessions.ttl(), secure));
    }

    ConsolePage logout(String sessionId, boolean secure) {
        sessions.end(sessionId);
        return ConsolePage.redirect(LOGIN).withHeader("Set-Cookie", SessionCookie.clear(secure));
    }

    private static String session(Context ctx) {
        return SessionCookie.sessionId(ctx.header("Cookie"));
    }

    /** Reached over https (directly, or through a proxy that says so): the cookie gets Secure. */
    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }
}
