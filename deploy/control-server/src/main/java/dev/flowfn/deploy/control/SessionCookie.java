package dev.flowfn.deploy.control;

import java.time.Duration;

/**
 * The web console's session cookie, {@value #NAME}: {@code HttpOnly} (page scripts cannot read it),
 * {@code SameSite=Strict} (no other site's page can make the browser send it), {@code Path=/}, and
 * {@code Secure} when the console was reached over https (on plain http to 127.0.0.1 a Secure
 * cookie would never come back). Immutable; any thread.
 */
final class SessionCookie {

    static final String NAME = "flowfn_session";

    private SessionCookie() {}

    /** The {@code Set-Cookie} value that holds {@code sessionId} for {@code maxAge}. */
    static String set(String sessionId, Duration maxAge, boolean secure) {
        return NAME
                + "="
                + sessionId
                + "; Path=/; Max-Age="
                + maxAge.toSeconds()
                + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that makes the browser drop the cookie (sign-out). */
    static String clear(boolean secure) {
        return NAME
                + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /**
     * The session id in a request's {@code Cookie} header ({@code a=1; flowfn_session=ID}), or null
     * when there is none.
     */
    static String sessionId(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String p = part.trim();
            if (p.startsWith(NAME + "=")) {
                String value = p.substring(NAME.length() + 1);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }
}
