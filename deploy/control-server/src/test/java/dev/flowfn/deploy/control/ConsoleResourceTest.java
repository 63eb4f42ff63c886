package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsoleResourceTest {

    private final ConsoleSessions sessions =
            new ConsoleSessions(Duration.ofHours(12), Clock.systemUTC());
    private final ConsoleResource console =
            new ConsoleResource(new BearerTokenFilter("s3cret"), sessions, new ConsoleAssets());

    @Test
    void theRightTokenStartsASessionInAnHttpOnlySameSiteCookie() {
        ConsolePage page = console.login("s3cret", false);

        assertThat(page.status()).isEqualTo(303);
        assertThat(page.headers()).containsEntry("Location", "/console/");
        String cookie = page.headers().get("Set-Cookie");
        assertThat(cookie)
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Max-Age=43200")
                .doesNotContain("Secure")
                .doesNotContain("s3cret");
        String id = SessionCookie.sessionId(cookie.substring(0, cookie.indexOf(';')));
        assertThat(sessions.isValid(id)).isTrue();
        assertThat(console.home(id).status()).isEqualTo(200);
        assertThat(console.loginPage(id).headers()).containsEntry("Location", "/console/");
    }

    @Test
    void aWrongTokenIsRefusedWithAMessageThatDoesNotRepeatIt() {
        ConsolePage page = console.login("guess<script>", false);

        assertThat(page.status()).isEqualTo(401);
        assertThat(page.headers()).doesNotContainKey("Set-Cookie");
        assertThat(page.bodyText())
                .contains("Wrong token")
                .contains("client.json")
                .doesNotContain("guess")
                .doesNotContain("s3cret")
                .doesNotContain("{{message}}");
        assertThat(sessions.size()).isZero();
    }

    @Test
    void noTokenAtAllIsRefusedToo() {
        assertThat(console.login(null, false).status()).isEqualTo(401);
        assertThat(console.login("", false).status()).isEqualTo(401);
    }

    @Test
    void withoutASessionTheConsoleSendsToTheSignIn() {
        assertThat(console.home(null).status()).isEqualTo(303);
        assertThat(console.home(null).headers()).containsEntry("Location", "/console/login");
        assertThat(console.home("made-up").status()).isEqualTo(303);
        ConsolePage login = console.loginPage(null);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.bodyText()).contains("name=\"token\"").doesNotContain("{{message}}");
    }

    @Test
    void signingOutEndsTheSessionAndClearsTheCookie() {
        String id = sessions.create();

        ConsolePage page = console.logout(id, true);

        assertThat(sessions.isValid(id)).isFalse();
        assertThat(page.headers()).containsEntry("Location", "/console/login");
        assertThat(page.headers().get("Set-Cookie")).contains("Max-Age=0").endsWith("; Secure");
    }

    @Test
    void overHttpsTheCookieIsSecure() {
        assertThat(console.login("s3cret", true).headers().get("Set-Cookie")).endsWith("; Secure");
    }

    @Test
    void thePagesLoadOnlyThisServersScriptAndStyle() {
        String index = console.home(sessions.create()).bodyText();

        assertThat(index)
                .contains("<script src=\"/console/assets/console.js\"></script>")
                .doesNotContain("http://")
                .doesNotContain("https://");
        assertThat(new ConsoleAssets().asset("console.js")).isPresent();
        assertThat(new ConsoleAssets().asset("console.css")).isPresent();
        assertThat(new ConsoleAssets().asset("../login.html")).isEmpty();
        assertThat(new ConsoleAssets().asset("index.html")).isEmpty();
    }
}
