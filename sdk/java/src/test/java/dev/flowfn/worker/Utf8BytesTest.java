package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8BytesTest {

    @ParameterizedTest
    @ValueSource(
            longs = {
                0,
                1,
                -1,
                9,
                10,
                -10,
                99,
                100,
                1_000_000,
                -987_654_321,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                Long.MIN_VALUE + 1,
                Integer.MAX_VALUE,
                Integer.MIN_VALUE
            })
    void writesNumbersAsLongToStringDoes(long n) {
        Utf8Bytes out = new Utf8Bytes(0, 1);
        out.putLong(n);
        assertThat(text(out)).isEqualTo(Long.toString(n));
    }

    @Test
    void writesRandomNumbersAsLongToStringDoes() {
        Random random = new Random(7);
        Utf8Bytes out = new Utf8Bytes(0, 1);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            long n = random.nextLong() >> random.nextInt(64);
            out.putLong(n);
            out.put(',');
            expected.append(n).append(',');
        }
        assertThat(text(out)).isEqualTo(expected.toString());
    }

    @Test
    void writesCodePointsAsUtf8() {
        Utf8Bytes out = new Utf8Bytes(0, 1);
        String s = "a\u00e9\u07ff\u0800\u2713\uffff\ud83d\ude00";
        s.codePoints().forEach(out::putCodePoint);
        assertThat(Arrays.copyOf(out.array(), out.size()))
                .isEqualTo(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheReservedBytesAndGrowsPastWhatWasExpected() {
        Utf8Bytes out = new Utf8Bytes(9, 2);
        out.putAscii("0123456789".repeat(10));
        assertThat(out.size()).isEqualTo(109);
        assertThat(new String(out.array(), 9, 100, StandardCharsets.US_ASCII))
                .isEqualTo("0123456789".repeat(10));
    }

    private static String text(Utf8Bytes out) {
        return new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
    }
}
