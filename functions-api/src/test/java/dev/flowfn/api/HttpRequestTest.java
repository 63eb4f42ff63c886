package dev.flowfn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.testing.TestEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRequestTest {

    @Test
    void readsTheRequestFromTheEvent() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept", "text/html");
        headers.put("x-odd", "a=b&c");
        TestEvent event =
                TestEvent.builder()
                        .type(HttpRequest.TYPE)
                        .data("{\"x\":1}")
                        .dataContentType("application/json")
                        .extension(HttpRequest.METHOD, "POST")
                        .extension(HttpRequest.PATH, "/u/al ice")
                        .extension(HttpRequest.ROUTE, "/u/{user}")
                        .extension(
                                HttpRequest.PARAMS,
                                HttpRequest.encodeForm(Map.of("user", "al ice")))
                        .extension(HttpRequest.QUERY, "page=2&page=3&q=%C3%A9")
                        .extension(HttpRequest.HEADERS, HttpRequest.encodeForm(headers))
                        .build();

        HttpRequest req = HttpRequest.of(event);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.param("user")).contains("al ice");
        assertThat(req.query("page")).contains("2");
        assertThat(req.query("q")).contains("é");
        assertThat(req.header("Accept")).contains("text/html");
        assertThat(req.header("X-Odd")).contains("a=b&c");
        assertThat(req.bodyAsString()).isEqualTo("{\"x\":1}");
        assertThat(req.contentType()).contains("application/json");
    }

    @Test
    void refusesOtherEvents() {
        assertThatThrownBy(() -> HttpRequest.of(TestEvent.json("{}")))
                .hasMessageContaining("is not an http.request event");
    }

    @Test
    void resultsCarryStatusAndHeaders() {
        Result r = Result.json("{}").withStatus(404).withHeader("Cache-Control", "no-store");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
        assertThat(Result.ok("x").status()).isEqualTo(200);
        assertThatThrownBy(() -> r.withHeader("Bad\nName", "v"))
                .hasMessageContaining("not a valid HTTP token");
        assertThatThrownBy(() -> r.withHeader("X", "a\r\nSet-Cookie: x"))
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> r.withStatus(42)).hasMessageContaining("42");
    }
}
