package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    @Test
    void readsEveryKindOfValue() throws JsonException {
        Object v =
                JsonReader.parse(
                        " {\"s\":\"x\",\"n\":-12,\"d\":0.4,\"t\":true,\"f\":false,\"z\":null,"
                                + "\"a\":[1,[],{}],\"o\":{\"k\":\"v\"}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "x");
        expected.put("n", -12L);
        expected.put("d", 0.4);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("z", null);
        expected.put("a", List.of(1L, List.of(), Map.of()));
        expected.put("o", Map.of("k", "v"));
        assertThat(v).isEqualTo(expected);
        assertThat(new ArrayList<Object>(((Map<?, ?>) v).keySet()))
                .containsExactly("s", "n", "d", "t", "f", "z", "a", "o");
    }

    @Test
    void readsEscapesAndUnicode() throws JsonException {
        assertThat(JsonReader.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""))
                .isEqualTo("a\"b\\c/d\b\f\n\r\t");
        assertThat(JsonReader.parse("\"caf\\u00e9 \\u2713 \\ud83d\\ude00\""))
                .isEqualTo("café ✓ 😀");
        assertThat(JsonReader.parse("\"café ✓ 日本 😀\"")).isEqualTo("café ✓ 日本 😀");
        assertThat(JsonReader.parse("\"\"")).isEqualTo("");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "-0, 0",
        "42, 42",
        "1767225600000, 1767225600000",
        "9223372036854775807, 9223372036854775807",
        "-9223372036854775808, -9223372036854775808"
    })
    void readsIntegersAsLongs(String text, long expected) throws JsonException {
        assertThat(JsonReader.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "0.4, 0.4",
        "-2.5E-3, -0.0025",
        "1e3, 1000.0",
        "1.5e+2, 150.0",
        "9223372036854775808, 9.223372036854775808E18"
    })
    void readsOtherNumbersAsDoubles(String text, double expected) throws JsonException {
        assertThat(JsonReader.parse(text)).isEqualTo(expected);
    }

    @Test
    void readsTheProtocolsKeysAndTheirLookAlikes() throws JsonException {
        @SuppressWarnings("unchecked")
        Map<String, Object> m =
                (Map<String, Object>)
                        JsonReader.parse(
                                "{\"id\":1,\"i\\u0064\":2,\"ids\":3,\"i\":4,\"\":5,"
                                        + "\"type\":{\"event\":6,\"even\":7},\"subject\\\"\":8}");
        assertThat(new ArrayList<>(m.keySet()))
                .containsExactly("id", "ids", "i", "", "type", "subject\"");
        assertThat(m.get("id")).isEqualTo(2L); // the escaped spelling is the same key
        assertThat(m.get("type")).isEqualTo(Map.of("event", 6L, "even", 7L));
        assertThat(m.get("subject\"")).isEqualTo(8L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id", "{\"id\"", "{\"id\":", "{\"nonce\" 1}"})
    void refusesAKnownKeyCutShort(String text) {
        assertThatThrownBy(() -> JsonReader.parse(text)).isInstanceOf(JsonException.class);
    }

    @Test
    void aRepeatedKeysLastValueWins() throws JsonException {
        assertThat(JsonReader.parse("{\"a\":1,\"a\":2}")).isEqualTo(Map.of("a", 2L));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "{",
                "{\"a\":1,}",
                "[1,]",
                "[1 2]",
                "{'a':1}",
                "{a:1}",
                "{\"a\" 1}",
                "01",
                "1.",
                ".5",
                "-",
                "1e",
                "+1",
                "tru",
                "nul",
                "NaN",
                "\"open",
                "\"bad \\x escape\"",
                "\"short \\u12\"",
                "\"tab\tinside\"",
                "{} x",
                "[1] [2]",
                "// comment\n1"
            })
    void refusesWhatIsNotStrictJson(String text) {
        assertThatThrownBy(() -> JsonReader.parse(text))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("at character");
    }

    @Test
    void saysWhatItExpectedAndWhere() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":1,}"))
                .hasMessage("expected a string key at character 7, found '}'");
        assertThatThrownBy(() -> JsonReader.parse("[1"))
                .hasMessage("expected ',' or ']' at character 2, found the end of the text");
    }

    @Test
    void refusesNestingDeeperThanItsLimit() throws JsonException {
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(JsonReader.parse(ok)).isInstanceOf(List.class);
        char[] deep = new char[JsonReader.MAX_DEPTH + 1];
        Arrays.fill(deep, '[');
        assertThatThrownBy(() -> JsonReader.parse(new String(deep)))
                .hasMessageContaining("at most " + JsonReader.MAX_DEPTH + " levels of nesting");
    }
}
