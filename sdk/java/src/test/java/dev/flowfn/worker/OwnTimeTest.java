package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OwnTimeTest {

    @Test
    void readsTheRunQueueWaitFromSchedstat() {
        assertThat(second("1290669327 1119918750 1020\n")).isEqualTo(1119918750L);
        assertThat(second("5 0 1\n")).isZero();
    }

    @Test
    void answersUnknownForTextItCannotRead() {
        assertThat(second("")).isEqualTo(-1);
        assertThat(second("12345")).isEqualTo(-1);
        assertThat(second("1 x 2")).isEqualTo(-1);
        assertThat(second("1 12345678901234567890 2")).isEqualTo(-1);
    }

    @Test
    void aRunUnderTheLimitIsItsWallTimeAndOneThatSleepsPastItCountsWhole() throws Exception {
        OwnTime own = new OwnTime();
        long start = System.nanoTime();
        own.beforeRun(start);
        assertThat(own.micros(start, 700, 1_000)).isEqualTo(700);

        start = System.nanoTime();
        own.beforeRun(start);
        Thread.sleep(5);
        long wall = (System.nanoTime() - start) / 1_000;
        assertThat(own.micros(start, wall, 1_000))
                .as("sleeping is the run's own doing")
                .isGreaterThan(4_000);
    }

    private static long second(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return OwnTime.secondField(b, b.length);
    }
}
