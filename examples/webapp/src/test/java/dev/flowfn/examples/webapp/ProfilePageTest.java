package dev.flowfn.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.api.HttpRequest;
import dev.flowfn.api.Result;
import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfilePageTest {

    private final ProfilePage page = new ProfilePage();

    private static TestEvent get(String user, String accept) {
        return TestEvent.builder()
                .type(HttpRequest.TYPE)
                .extension(HttpRequest.METHOD, "GET")
                .extension(HttpRequest.PATH, "/u/" + user)
                .extension(HttpRequest.PARAMS, HttpRequest.encodeForm(Map.of("user", user)))
                .extension(HttpRequest.HEADERS, HttpRequest.encodeForm(Map.of("accept", accept)))
                .build();
    }

    @Test
    void rendersAlicesPageWithHtmlEscaped() {
        Result r = page.handle(get("alice", "text/html"), TestContext.create());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).contains("text/html; charset=utf-8");
        assertThat(r.dataAsString())
                .contains("<h1>Alice Liddell</h1>")
                .contains("&lt;script&gt;")
                .doesNotContain("<script>");
        assertThat(r.dataAsString()).contains("<li>croquet</li>");
    }

    @Test
    void unknownUsersGet404() {
        Result r = page.handle(get("mallory", "text/html"), TestContext.create());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.dataAsString()).contains("nobody called <strong>@mallory</strong>");
        assertThat(page.handle(get("../../etc/passwd", "text/html"), TestContext.create()).status())
                .isEqualTo(404);
    }

    @Test
    void jsonVariantAndDirectInvocation() {
        Result json = page.handle(get("bob", "application/json"), TestContext.create());
        assertThat(json.dataAsString()).startsWith("{\"user\":\"bob\",\"name\":\"Bob Builder\"");
        Result direct = page.handle(TestEvent.json("{\"user\":\"bob\"}"), TestContext.create());
        assertThat(direct.dataAsString()).contains("<h1>Bob Builder</h1>");
    }
}
