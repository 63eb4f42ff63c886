package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AlertState;
import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.FunctionSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservabilityResourceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final List<String> asked = new ArrayList<>();
    private final UsageReport usage =
            (function, since, bucket) -> {
                asked.add("usage " + function + " " + since + " " + bucket);
                return List.of(Map.of("function", "upper", "version", 2L));
            };
    private final AlertHistory alerts =
            from -> {
                asked.add("alerts " + from);
                return List.of(
                        Alert.newBuilder()
                                .setFunction("upper")
                                .setVersion(2)
                                .setRule("errors>5/1m")
                                .setState(AlertState.FIRING)
                                .setValue("7")
                                .setWindowStart(NOW.minusSeconds(60))
                                .setWindowEnd(NOW)
                                .build());
            };
    private final FunctionLogs logs =
            new FunctionLogs() {
                @Override
                public Map<String, Object> read(
                        String function, Instant since, String invocation, String cursor) {
                    asked.add("logs " + function + " " + since + " " + invocation + " " + cursor);
                    return Map.of("lines", List.of(), "cursor", "0:7");
                }
            };
    private final ObservabilityResource resource =
            new ObservabilityResource(
                    new InMemoryRegistry()
                            .with(
                                    FunctionSpec.newBuilder(TestSpecs.deployed("upper", 2))
                                            .setAliases(
                                                    List.of(
                                                            Alias.newBuilder()
                                                                    .setName("prod")
                                                                    .setVersion(2)
                                                                    .build()))
                                            .build()),
                    usage,
                    alerts,
                    logs,
                    (function, since, cursor) -> {
                        asked.add("results " + function + " " + since + " " + cursor);
                        return Map.of("results", List.of(), "cursor", "0:3");
                    },
                    Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void usageDefaultsToTheLastHourInOneRowPerVersion() {
        JsonReply reply = resource.usage(null, null, "");

        assertThat(reply)
                .isEqualTo(
                        JsonReply.ok(
                                List.of(
                                        Map.of(
                                                "function",
                                                "upper",
                                                "version",
                                                2L,
                                                "aliases",
                                                List.of("prod")))));
        assertThat(asked).containsExactly("usage null PT1H null");
    }

    @Test
    void usageTakesAFunctionARangeAndBuckets() {
        resource.usage("upper", "90s", "1m");
        resource.usage(" ", "2h", null);

        assertThat(asked).containsExactly("usage upper PT1M30S PT1M", "usage null PT2H null");
    }

    @Test
    void aDurationThatIsNotOneOrNotPositiveIsA400ThatNamesTheParameter() {
        assertThatThrownBy(() -> resource.usage(null, "soon", null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("since: ");
        assertThatThrownBy(() -> resource.usage(null, null, "0s"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("window must be positive, e.g. 1h");
        assertThatThrownBy(() -> resource.alerts("-1h"))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith("since");
        assertThat(asked).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void alertsDefaultToTheLastDay() {
        JsonReply reply = resource.alerts(null);

        assertThat(asked).containsExactly("alerts 2026-02-28T12:00:00Z");
        assertThat(reply.status()).isEqualTo(200);
        assertThat((List<?>) FunctionsResourceTest.json(reply))
                .singleElement()
                .satisfies(
                        a ->
                                assertThat((Map<Object, Object>) a)
                                        .containsEntry("function", "upper")
                                        .containsEntry("rule", "errors>5/1m")
                                        .containsEntry("windowEnd", NOW.toString()));
    }

    @Test
    void logsFollowAFunctionFromACursor() {
        JsonReply reply = resource.logs("upper", null, "inv-1", "0:5");
        resource.logs("upper", "1h", null, null);

        assertThat(reply).isEqualTo(JsonReply.ok(Map.of("lines", List.of(), "cursor", "0:7")));
        assertThat(asked)
                .containsExactly(
                        "logs upper 2026-03-01T11:50:00Z inv-1 0:5",
                        "logs upper 2026-03-01T11:00:00Z null null");
    }

    @Test
    void logsOfAnUnknownFunctionAreA404() {
        assertThatThrownBy(() -> resource.logs("nope", null, null, null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("no function named 'nope' is deployed; see 'flowfn list'");
    }

    @Test
    void durationsReadAsInASpec() {
        assertThat(ObservabilityResource.duration("250ms", null, "x"))
                .isEqualTo(Duration.ofMillis(250));
        assertThat(ObservabilityResource.duration(" ", Duration.ofDays(1), "x"))
                .isEqualTo(Duration.ofDays(1));
    }
}
