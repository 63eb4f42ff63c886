package dev.flowfn.examples.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MaxAgeTest {

    @Test
    void parsesWhatUsersWrite() {
        assertThat(MaxAge.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(MaxAge.parse("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(MaxAge.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(MaxAge.parse("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(MaxAge.parse("P2D")).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void badValuesNameTheFix() {
        assertThatThrownBy(() -> MaxAge.parse("week")).hasMessageContaining("write e.g. 7d");
        assertThatThrownBy(() -> MaxAge.parse("0d")).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> MaxAge.parse(null)).hasMessageContaining("not understood");
    }

    @Test
    void missingSettingsFailBeforeTouchingTheStore() {
        TestContext ctx = TestContext.builder().env("MAX_AGE", "7d").build();
        assertThatThrownBy(() -> new DeleteStale().handle(TestEvent.builder().build(), ctx))
                .hasMessageContaining("BUCKET is not set; deploy with --env BUCKET=...");
        TestContext noStore = TestContext.builder().env("MAX_AGE", "7d").env("BUCKET", "b").build();
        assertThatThrownBy(() -> new DeleteStale().handle(TestEvent.builder().build(), noStore))
                .hasMessageContaining("S3_ENDPOINT is not set")
                .hasMessageContaining("FLOWFN_S3_ENDPOINT");
    }
}
