package dev.flowfn.job.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultReaderTest {

    private static final byte[] BODY = {1, 2, 3};

    private static final String CANONICAL_NO_TYPE =
            "{\"id\":\"in/0/12@f\",\"ok\":true,\"contentType\":null,\"status\":200,"
                    + "\"headers\":{},\"durationUs\":37}";

    private static final String CANONICAL_JSON =
            "{\"id\":\"a\",\"ok\":true,\"contentType\":\"application/json\",\"status\":0,"
                    + "\"headers\":{},\"durationUs\":0}";

    @ParameterizedTest
    @ValueSource(strings = {CANONICAL_NO_TYPE, CANONICAL_JSON})
    void theCanonicalShapeIsMatchedWithoutTheParser(String header) {
        byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
        Result matched = ResultReader.canonicalOk(bytes, 0, bytes.length, BODY);
        assertThat(matched).isNotNull();
        assertThat(matched).isEqualTo(ResultReader.streamed(bytes, 0, bytes.length, BODY));
    }

    /**
     * The canonical shape and its near misses: byte matching and the streaming parser read each the
     * same (the same result, or null for the general way to judge).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                CANONICAL_NO_TYPE,
                CANONICAL_JSON,
                "{\"id\":\"\",\"ok\":true,\"contentType\":\"\",\"status\":999999999,"
                        + "\"headers\":{},\"durationUs\":999999999999999999}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":1000000000,"
                        + "\"headers\":{},\"durationUs\":1}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1000000000000000000}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":007}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":-1,"
                        + "\"headers\":{},\"durationUs\":1}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":-5}",
                "{\"id\":\"a\\\"b\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1}",
                "{\"id\":\"caf\u00e9\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":\"t\u00fc\",\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{\"x\":\"1\"},\"durationUs\":1}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1} ",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1,\"later\":2}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1.5}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":}",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1",
                "{\"id\":\"a\",\"ok\":true,\"contentType\":nul,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1}",
                "{\"id\":\"a\",\"ok\":false,\"kind\":\"HANDLER_ERROR\",\"message\":\"m\","
                        + "\"stack\":null,\"durationUs\":1}",
                "{\"id\":\"a\u0001\",\"ok\":true,\"contentType\":null,\"status\":200,"
                        + "\"headers\":{},\"durationUs\":1}",
                "{\"id\":\"a",
                "{\"id\":\"",
                ""
            })
    void matchingBytesReadsAsTheParserDoes(String header) {
        byte[] bytes = ("xx" + header + "yy").getBytes(StandardCharsets.UTF_8);
        int length = bytes.length - 4;
        assertThat(ResultReader.read(bytes, 2, length, BODY))
                .isEqualTo(ResultReader.streamed(bytes, 2, length, BODY));
    }
}
