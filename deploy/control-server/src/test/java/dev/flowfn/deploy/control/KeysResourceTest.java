package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.FunctionKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeysResourceTest {

    private final InMemoryRegistry registry =
            new InMemoryRegistry().with(TestSpecs.deployed("upper", 1));
    private final FunctionKeys keys =
            new FunctionKeys(
                    new InMemoryTable<FunctionKey>(),
                    Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC));
    private final KeysResource resource = new KeysResource(registry, keys);

    @Test
    void aNewKeyIsShownOnceAndVerifies() throws Exception {
        JsonReply reply = resource.create("upper");

        assertThat(reply.status()).isEqualTo(201);
        Map<String, Object> body = FunctionsResourceTest.body(reply);
        assertThat(body)
                .containsOnlyKeys("keyId", "key", "function")
                .containsEntry("function", "upper");
        assertThat(keys.verify("upper", (String) body.get("key"))).isTrue();
    }

    @Test
    void listShowsIdsAndTimesWithoutSecrets() throws Exception {
        String keyId = (String) FunctionsResourceTest.body(resource.create("upper")).get("keyId");

        JsonReply reply = resource.list("upper");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(FunctionsResourceTest.json(reply))
                .isEqualTo(
                        List.of(
                                Map.of(
                                        "keyId", keyId,
                                        "function", "upper",
                                        "createdAt", "2026-03-01T00:00:00Z")));
    }

    @Test
    void keysOfAnUnknownFunctionAreA404() {
        assertThatThrownBy(() -> resource.create("nope"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("no function named 'nope' is deployed; see 'flowfn list'");
        assertThatThrownBy(() -> resource.list("nope")).isInstanceOf(ApiException.class);
    }

    @Test
    void revokeAnswers204AndTheKeyNoLongerVerifies() throws Exception {
        Map<String, Object> created = FunctionsResourceTest.body(resource.create("upper"));

        JsonReply reply = resource.revoke((String) created.get("keyId"));

        assertThat(reply).isEqualTo(JsonReply.noContent());
        assertThat(keys.verify("upper", (String) created.get("key"))).isFalse();
    }

    @Test
    void revokingAnUnknownKeyIsA404ThatSaysHowToListThem() {
        assertThatThrownBy(() -> resource.revoke("0123"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("no key 0123; see 'flowfn keys list FUNCTION'");
    }
}
