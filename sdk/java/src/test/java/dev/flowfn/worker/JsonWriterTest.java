package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void writesCompactJsonWithKeysInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "inv-1");
        m.put("ok", true);
        m.put("n", 42L);
        m.put("i", 7);
        m.put("d", 0.4);
        m.put("none", null);
        m.put("list", Arrays.asList(1, "two", null, List.of()));
        m.put("obj", Map.of());
        assertThat(JsonWriter.write(m))
                .isEqualTo(
                        "{\"id\":\"inv-1\",\"ok\":true,\"n\":42,\"i\":7,\"d\":0.4,\"none\":null,"
                                + "\"list\":[1,\"two\",null,[]],\"obj\":{}}");
    }

    @Test
    void escapesOnlyWhatJsonNeedsAndKeepsUnicode() {
        assertThat(JsonWriter.write("q\" b\\ n\n r\r t\t b\b f\f x\u0001 y\u001f z\u007f"))
                .isEqualTo("\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f x\\u0001 y\\u001f z\u007f\"");
        assertThat(JsonWriter.write("café ✓ 日本 😀 /")).isEqualTo("\"café ✓ 日本 😀 /\"");
    }

    @Test
    void escapesLoneSurrogatesThatUtf8CannotCarry() throws JsonException {
        String lone = "a\ud83d b \ude00";
        String json = JsonWriter.write(lone);
        assertThat(json).isEqualTo("\"a\\ud83d b \\ude00\"");
        assertThat(JsonReader.parse(json)).isEqualTo(lone);
    }

    @Test
    void roundTripsThroughTheReader() throws JsonException {
        String json =
                "{\"s\":\"\\\"x\\\\\\n\",\"n\":-9223372036854775808,\"d\":-0.0025,\"b\":false,"
                        + "\"z\":null,\"a\":[{\"k\":[1.5,\"✓\"]}]}";
        assertThat(JsonWriter.write(JsonReader.parse(json))).isEqualTo(json);
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThatThrownBy(() -> JsonWriter.write(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> JsonWriter.write(Double.POSITIVE_INFINITY))
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> JsonWriter.write(new Object()))
                .hasMessageContaining("cannot write a java.lang.Object");
        assertThatThrownBy(() -> JsonWriter.write(Map.of(1, "x")))
                .hasMessageContaining("keys are strings");
    }
}
