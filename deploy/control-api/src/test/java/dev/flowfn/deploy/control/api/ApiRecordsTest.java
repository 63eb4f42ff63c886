package dev.flowfn.deploy.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each record reads the JSON the control server writes (samples in its shape: SpecJson, the
 * resources, ControlApiIT), writes it back field for field, and ignores fields it does not know.
 */
class ApiRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String FUNCTION =
            "{\"name\":\"upper\",\"version\":2,\"runtime\":\"java\",\"handler\":\"acme.Upper\","
                    + "\"memoryMb\":256,\"timeout\":\"30s\",\"concurrency\":16,\"retries\":2,"
                    + "\"triggers\":[\"kafka:topic=words\"],\"env\":[\"A\",\"B\"],"
                    + "\"alerts\":[\"error-rate>5%/5m\"],\"alertWebhook\":null,"
                    + "\"outputs\":[\"s3://photos/thumbs/\"],"
                    + "\"codeUri\":\"s3://flowfn-code/upper/ab12.jar\",\"codeSha256\":\"ab12\","
                    + "\"deployedAt\":\"2026-03-01T12:00:00Z\"}";

    /** {@code json} written back by the record, as plain maps, equals {@code json}'s. */
    private static <T> T roundTrips(String json, Class<T> type) throws IOException {
        T value = JSON.readValue(json, type);
        assertThat(plain(JSON.writeValueAsString(value))).isEqualTo(plain(json));
        return value;
    }

    private static Object plain(String json) throws IOException {
        return JSON.readValue(json, Object.class);
    }

    private static String with(String json, String field) {
        return json.substring(0, json.length() - 1) + "," + field + "}";
    }

    @Test
    void aFunctionAsListShowsIt() throws IOException {
        FunctionView f = roundTrips(FUNCTION, FunctionView.class);

        assertThat(f.version()).isEqualTo(2);
        assertThat(f.env()).containsExactly("A", "B");
        assertThat(f.alertWebhook()).isNull();
        assertThat(f.schemas()).isNull();
        assertThat(f.progress()).isNull();
    }

    @Test
    void aDeployAnswerHasSchemasAndWarningsOnlyWhenThereAreSome() throws IOException {
        FunctionView deployed = roundTrips(with(FUNCTION, "\"schemas\":[]"), FunctionView.class);
        assertThat(deployed.schemas()).isEmpty();
        assertThat(deployed.warnings()).isNull();

        FunctionView warned =
                roundTrips(
                        with(FUNCTION, "\"schemas\":[\"acme.Reading\"],\"warnings\":[\"a loop\"]"),
                        FunctionView.class);
        assertThat(warned.warnings()).containsExactly("a loop");
        assertThat(warned.withDeployed(List.of(), List.of()).warnings()).isNull();
    }

    @Test
    void describeAddsProgressWithAFractionOnlyWhenGiven() throws IOException {
        String progress =
                "\"progress\":{\"time\":\"2026-03-01T12:00:00Z\",\"version\":2,"
                        + "\"invocationId\":\"inv-1\",\"message\":\"[progress 40%] rows\"";
        FunctionView withFraction =
                roundTrips(with(FUNCTION, progress + ",\"fraction\":0.4}"), FunctionView.class);
        assertThat(withFraction.progress())
                .isEqualTo(
                        new Progress(
                                "2026-03-01T12:00:00Z", 2L, "inv-1", "[progress 40%] rows", 0.4));

        FunctionView without = roundTrips(with(FUNCTION, progress + "}"), FunctionView.class);
        assertThat(without.progress().fraction()).isNull();
    }

    @Test
    void aTextResultAndAFailedBinaryOne() throws IOException {
        ResultView ok =
                roundTrips(
                        "{\"invocationId\":\"abc\",\"function\":\"upper\",\"version\":3,"
                                + "\"success\":true,\"data\":\"HI\",\"contentType\":\"text/plain\","
                                + "\"status\":200,\"attempts\":1,\"durationMs\":1.5}",
                        ResultView.class);
        assertThat(ok.data()).isEqualTo("HI");
        assertThat(ok.dataBase64()).isNull();
        assertThat(ok.durationMs()).isEqualTo(1.5);

        ResultView failed =
                roundTrips(
                        "{\"invocationId\":\"abc\",\"function\":\"upper\",\"version\":3,"
                                + "\"success\":false,\"dataBase64\":\"AAE=\",\"contentType\":null,"
                                + "\"failureKind\":\"TIMEOUT\",\"error\":\"raise --timeout\","
                                + "\"status\":200,\"attempts\":3,\"durationMs\":20.0}",
                        ResultView.class);
        assertThat(failed.success()).isFalse();
        assertThat(failed.failureKind()).isEqualTo("TIMEOUT");
        assertThat(failed.data()).isNull();
    }

    @Test
    void keysAsyncAnswersAlertsUsageAndLogs() throws IOException {
        assertThat(roundTrips("{\"invocationId\":\"abc\"}", AsyncInvocation.class).invocationId())
                .isEqualTo("abc");
        CreatedKey key =
                roundTrips(
                        "{\"keyId\":\"k1\",\"key\":\"secret\",\"function\":\"upper\"}",
                        CreatedKey.class);
        assertThat(key.key()).isEqualTo("secret");
        assertThat(key.toString()).doesNotContain("secret");
        roundTrips(
                "{\"keyId\":\"k1\",\"function\":\"upper\",\"createdAt\":\"2026-03-01T00:00:00Z\"}",
                KeyEntry.class);
        AlertView alert =
                roundTrips(
                        "{\"function\":\"upper\",\"version\":2,\"rule\":\"errors>5/1m\","
                                + "\"state\":\"FIRING\",\"value\":\"7\","
                                + "\"windowStart\":\"2026-03-01T11:59:00Z\","
                                + "\"windowEnd\":\"2026-03-01T12:00:00Z\"}",
                        AlertView.class);
        assertThat(alert.state()).isEqualTo("FIRING");
        String usage =
                "{\"function\":\"flaky\",\"version\":1,\"invocations\":30,\"errors\":30,"
                        + "\"throttles\":0,\"deadLetters\":30,\"billedMs\":45,"
                        + "\"gbSeconds\":\"0.011250\",\"p50Ms\":1,\"p99Ms\":3,\"cost\":\"0.000006\"}";
        assertThat(roundTrips(usage, UsageRow.class).window()).isNull();
        assertThat(
                        roundTrips(
                                        with(usage, "\"window\":\"2026-03-01T12:00:00Z\""),
                                        UsageRow.class)
                                .window())
                .isEqualTo("2026-03-01T12:00:00Z");
        LogPage page =
                roundTrips(
                        "{\"lines\":[{\"time\":\"2026-03-01T12:00:00Z\",\"level\":\"INFO\","
                                + "\"version\":2,\"invocationId\":\"inv-1\",\"attempt\":1,"
                                + "\"message\":\"hello\"}],\"cursor\":\"0:7,1:3\"}",
                        LogPage.class);
        assertThat(page.lines()).extracting(LogLine::message).containsExactly("hello");
        assertThat(page.cursor()).isEqualTo("0:7,1:3");
    }

    @Test
    void aDeployRequestLeavesOutWhatTheUserDidNotSetAndHidesEnvValues() throws IOException {
        DeployRequest request =
                roundTrips(
                        "{\"name\":\"upper\",\"handler\":\"acme.Upper\",\"memoryMb\":256,"
                                + "\"timeout\":\"30s\",\"concurrency\":16,\"retries\":2,"
                                + "\"triggers\":[],\"env\":{\"TOKEN\":\"s3cret\"},\"alerts\":[],"
                                + "\"outputs\":[]}",
                        DeployRequest.class);
        assertThat(request.alertWebhook()).isNull();
        assertThat(request.toString()).contains("TOKEN").doesNotContain("s3cret");
        assertThat(
                        JSON.readValue(
                                JSON.writeValueAsString(
                                        new DeployRequest(
                                                "upper",
                                                "acme.Upper",
                                                null,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null)),
                                new TypeReference<Map<String, Object>>() {}))
                .containsOnlyKeys("name", "handler");
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        String future = "\"addedLater\":{\"x\":[1,2]}";
        assertThat(JSON.readValue(with(FUNCTION, future), FunctionView.class).name())
                .isEqualTo("upper");
        assertThat(
                        JSON.readValue(
                                        "{\"invocationId\":\"abc\",\"success\":true,"
                                                + future
                                                + "}",
                                        ResultView.class)
                                .invocationId())
                .isEqualTo("abc");
        for (Class<?> type :
                List.of(
                        DeployRequest.class,
                        Progress.class,
                        AsyncInvocation.class,
                        CreatedKey.class,
                        KeyEntry.class,
                        UsageRow.class,
                        LogLine.class,
                        LogPage.class,
                        AlertView.class)) {
            assertThat(JSON.readValue("{" + future + "}", type)).as(type.getName()).isNotNull();
        }
    }
}
