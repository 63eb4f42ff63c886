package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueKeyTest {

    @Test
    void equalWhenFunctionAndPartitionKeyAreEqual() {
        QueueKey a = new QueueKey("resize", new String("user-1"));
        QueueKey b = new QueueKey(new String("resize"), "user-1");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(new QueueKey("resize", null)).isEqualTo(new QueueKey("resize", null));
    }

    @Test
    void differsWhenEitherPartDiffers() {
        QueueKey a = new QueueKey("resize", "user-1");
        assertThat(a).isNotEqualTo(new QueueKey("resize", "user-2"));
        assertThat(a).isNotEqualTo(new QueueKey("thumb", "user-1"));
        assertThat(a).isNotEqualTo(new QueueKey("resize", null));
        // the parts are kept apart: no joined string can make these two alike
        assertThat(new QueueKey("a", "bc")).isNotEqualTo(new QueueKey("ab", "c"));
    }
}
