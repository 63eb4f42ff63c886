package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunqueueWaitTest {

    @Test
    void readsTheSecondFieldOfSchedstat() {
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
    void theCallingThreadsWaitNeverGoesBack() {
        RunqueueWait wait = RunqueueWait.ofCurrentThread();
        long first = wait.nanos();
        long second = wait.nanos();
        assertThat(second).isGreaterThanOrEqualTo(first);
        assertThat(wait.ofCurrent()).isTrue();
        wait.close();
    }

    private static long second(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return RunqueueWait.secondField(b, b.length);
    }
}
