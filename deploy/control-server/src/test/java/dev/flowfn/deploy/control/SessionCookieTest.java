package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionCookieTest {

    @Test
    void theCookieIsHttpOnlyAndSameSiteStrictForTheWholeServer() {
        String header = SessionCookie.set("abc", Duration.ofHours(12), false);

        assertThat(header)
                .isEqualTo("flowfn_session=abc; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
    }

    @Test
    void overHttpsItIsSecureToo() {
        assertThat(SessionCookie.set("abc", Duration.ofHours(1), true)).endsWith("; Secure");
        assertThat(SessionCookie.clear(true)).endsWith("; Secure");
    }

    @Test
    void signingOutExpiresItAtOnce() {
        assertThat(SessionCookie.clear(false))
                .isEqualTo("flowfn_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    }

    @Test
    void theSessionIdIsFoundAmongOtherCookies() {
        assertThat(SessionCookie.sessionId("a=1; flowfn_session=xyz; b=2")).isEqualTo("xyz");
        assertThat(SessionCookie.sessionId("flowfn_session=xyz")).isEqualTo("xyz");
        assertThat(SessionCookie.sessionId("flowfn_sessionx=xyz")).isNull();
        assertThat(SessionCookie.sessionId("flowfn_session=")).isNull();
        assertThat(SessionCookie.sessionId("a=1")).isNull();
        assertThat(SessionCookie.sessionId(null)).isNull();
    }
}
