package dev.flowfn.deploy.control.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.control.api.FunctionSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reader of {@code flowfn list}'s answer reads what Jackson's data binding writes
 * (and would read), and a whole function view as an older server answers it.
 */
class FunctionSummaryReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<FunctionSummary> read(String json) throws IOException {
        return FunctionSummaryReader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatDataBindingWritesForRandomSummaries() throws IOException {
        Random random = new Random(16);
        for (int round = 0; round < 50; round++) {
            List<FunctionSummary> functions = new ArrayList<>();
            for (int i = random.nextInt(20); i > 0; i--) {
                List<String> triggers = new ArrayList<>();
                for (int t = random.nextInt(3); t > 0; t--) {
                    triggers.add("kafka:topic=\"t\\" + random.nextInt() + "\u00e9");
                }
                functions.add(
                        new FunctionSummary(
                                "fn-" + random.nextInt(1000),
                                random.nextLong() & Long.MAX_VALUE,
                                random.nextInt(),
                                random.nextBoolean() ? null : random.nextInt(60) + "s",
                                random.nextBoolean() ? null : "a.B$" + random.nextInt(),
                                triggers));
            }
            byte[] written = JSON.writeValueAsBytes(functions);

            assertThat(FunctionSummaryReader.read(written))
                    .isEqualTo(functions)
                    .isEqualTo(List.of(JSON.readValue(written, FunctionSummary[].class)));
        }
    }

    @Test
    void readsAWholeFunctionViewSkippingWhatListDoesNotPrint() throws IOException {
        String view =
                "[{\"name\":\"upper\",\"version\":4,\"runtime\":\"java\",\"handler\":\"acme.Upper\","
                        + "\"memoryMb\":256,\"timeout\":\"30s\",\"concurrency\":16,\"retries\":2,"
                        + "\"triggers\":[\"kafka:topic=words\"],\"env\":[\"A\"],\"alerts\":[],"
                        + "\"alertWebhook\":null,\"outputs\":[],\"codeUri\":\"s3://c/u.jar\","
                        + "\"codeSha256\":\"ab\",\"deployedAt\":\"2026-03-01T12:00:00Z\","
                        + "\"progress\":{\"fraction\":0.5,\"nested\":{\"a\":[1,{}]}},"
                        + "\"aliases\":[{\"name\":\"prod\",\"version\":3,\"canaryVersion\":null}],"
                        + "\"versions\":[4,3]}]";

        assertThat(read(view))
                .containsExactly(
                        new FunctionSummary(
                                "upper",
                                4,
                                256,
                                "30s",
                                "acme.Upper",
                                List.of("kafka:topic=words")));
    }

    @Test
    void missingAndNullFieldsAreEmpty() throws IOException {
        assertThat(read("[]")).isEmpty();
        assertThat(read("[{\"name\":\"a\",\"triggers\":null}, {\"name\":\"b\"}]"))
                .containsExactly(
                        new FunctionSummary("a", 0, 0, null, null, List.of()),
                        new FunctionSummary("b", 0, 0, null, null, List.of()));
    }

    @Test
    void anythingButAnArrayOfObjectsIsAnError() {
        for (String bad :
                List.of(
                        "{\"error\":\"x\"}",
                        "[1]",
                        "[{\"name\":\"a\"}",
                        "[{\"name\":{\"first\":\"a\"}}]",
                        "[{\"triggers\":[[\"a\"]]}]",
                        "")) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }
}
