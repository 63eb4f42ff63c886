package dev.flowfn.job.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlainJsonTest {

    private static final PlainJson.Name N = PlainJson.Name.of("n");

    @Test
    void writesEveryNumberAsLongToStringDoes() {
        List<Long> values = new ArrayList<>();
        for (long v = -1_000; v <= 100_000; v++) {
            values.add(v);
        }
        long ten = 1;
        for (int i = 0; i <= 18; i++) { // each length's first and last number, both signs
            for (long v : new long[] {ten - 1, ten, ten + 1, 2 * ten - 1}) {
                values.add(v);
                values.add(-v);
            }
            ten *= 10;
        }
        values.add(Long.MAX_VALUE);
        values.add(Long.MIN_VALUE);
        values.add(Long.MIN_VALUE + 1);
        values.add(1_764_950_000_123L); // a time in ms, as INVOKE carries it
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong();
            values.add(v);
            values.add(v >>> random.nextInt(64)); // every length
        }
        for (long v : values) {
            PlainJson j = new PlainJson(0, 4);
            j.startObject().field(N, v).endObject();
            assertThat(text(j)).as("%d", v).isEqualTo("{\"n\":" + v + "}");
        }
    }

    @Test
    void countsTheDigitsOfEveryLength() {
        long ten = 10;
        for (int digits = 2; digits <= 18; digits++) {
            assertThat(PlainJson.digits(ten)).as("10^%d", digits - 1).isEqualTo(digits);
            assertThat(PlainJson.digits(ten * 10 - 1)).as("10^%d - 1", digits).isEqualTo(digits);
            ten *= 10;
        }
        assertThat(PlainJson.digits(ten)).isEqualTo(19);
        assertThat(PlainJson.digits(Long.MAX_VALUE)).isEqualTo(19);
    }

    private static String text(PlainJson j) {
        ByteBuffer b = j.buffer();
        return new String(b.array(), b.arrayOffset(), b.remaining(), StandardCharsets.US_ASCII);
    }
}
