package dev.flowfn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import org.junit.jupiter.api.Test;

class TestKitTest {

    private final Handler echoAndLog =
            (event, ctx) -> {
                ctx.logger().info("got " + event.dataAsString());
                ctx.emit(
                        OutgoingEvent.json(
                                "echo", event.subject().orElse(null), event.dataAsString()));
                return Result.json(event.dataAsString());
            };

    @Test
    void recordsLogsAndEmittedEvents() throws Exception {
        TestContext ctx = TestContext.builder().functionName("echo").env("K", "V").build();
        Result r =
                echoAndLog.handle(TestEvent.builder().subject("s1").data("{\"a\":1}").build(), ctx);

        assertThat(r.dataAsString()).isEqualTo("{\"a\":1}");
        assertThat(r.contentType()).contains("application/json");
        assertThat(ctx.logLines()).containsExactly("INFO got {\"a\":1}");
        assertThat(ctx.emitted()).containsExactly(OutgoingEvent.json("echo", "s1", "{\"a\":1}"));
        assertThat(ctx.env("K")).contains("V");
        assertThat(ctx.remaining()).isPositive();
    }

    @Test
    void resultsAreImmutableCopies() {
        byte[] bytes = {1, 2, 3};
        Result r = Result.ok(bytes);
        bytes[0] = 9;
        assertThat(r.data()).containsExactly(1, 2, 3);
        assertThat(Result.empty().data()).isEmpty();
        assertThat(Result.empty().contentType()).isEmpty();
    }

    @Test
    void valueTypesRejectBadValues() {
        assertThatThrownBy(() -> Result.ok(new byte[0], " "))
                .hasMessageContaining("contentType must not be blank");
        assertThatThrownBy(() -> OutgoingEvent.of("", null, new byte[0], null))
                .hasMessageContaining("event type must not be blank");
    }

    @Test
    void progressIsRecordedAndLoggedAsThePlatformDoes() {
        TestContext ctx = TestContext.create();
        ctx.progress(0.4, "40 of 100");
        ctx.progress("cleaning up");
        assertThat(ctx.progressReports())
                .extracting(TestContext.ProgressReport::message)
                .containsExactly("40 of 100", "cleaning up");
        assertThat(ctx.logLines())
                .containsExactly("INFO [progress 40%] 40 of 100", "INFO [progress] cleaning up");
        assertThat(Progress.isReport("[progress 12.5%] x")).isTrue();
        assertThat(Progress.isReport("progress")).isFalse();
        assertThatThrownBy(() -> ctx.progress(1.5, "too far"))
                .hasMessageContaining("progress fraction 1.5 is outside 0..1");
    }

    @Test
    void recordsForOwnTopicsAreValidated() {
        OutgoingEvent r = OutgoingEvent.record("orders", "o-1", new byte[] {1});
        assertThat(r.topic()).contains("orders");
        assertThat(r.subject()).contains("o-1");
        assertThatThrownBy(() -> OutgoingEvent.record("flowfn.results", "k", new byte[0]))
                .hasMessageContaining("internal to Flowfn");
        assertThatThrownBy(() -> OutgoingEvent.record("bad topic", "k", new byte[0]))
                .hasMessageContaining("not a valid Kafka topic name");
        assertThatThrownBy(() -> OutgoingEvent.record("..", "k", new byte[0]))
                .hasMessageContaining("not '.' or '..'");
        assertThat(OutgoingEvent.json("t", null, "{}").topic()).isEmpty();
    }
}
