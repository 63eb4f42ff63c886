package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InvocationContextTest {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    private static InvocationContext context(int maxLines) {
        FunctionSpec spec =
                FunctionSpec.newBuilder()
                        .setName("chatty")
                        .setVersion(3)
                        .setHandler("x.Y")
                        .setCodeUri("file:/x")
                        .setCodeSha256("00")
                        .setRetry(RetryPolicy.newBuilder().build())
                        .setEnv(Map.of("K", "V"))
                        .setDeployedAt(Instant.EPOCH)
                        .build();
        return new InvocationContext(spec, "inv-1", 2, Instant.now().plusSeconds(5), maxLines);
    }

    /** An attempt whose progress reports go to {@code published}. */
    private static InvocationContext reporting(List<LogRecord> published) {
        return reporting(published, "inv-1");
    }

    private static InvocationContext reporting(List<LogRecord> published, String invocationId) {
        return new InvocationContext(
                context(10).spec(),
                invocationId,
                1,
                Instant.now().plusSeconds(5),
                10,
                Map.of(),
                published::add);
    }

    @Test
    void aHandlerThatLogsMegabytesIsCappedWithAVisibleMarker() {
        InvocationContext ctx = context(1000);
        String big = "x".repeat(1024 * 1024);
        for (int i = 0; i < 50; i++) {
            ctx.logger().info(big);
        }
        List<LogRecord> logs = ctx.sealLogs();
        long chars = logs.stream().mapToLong(l -> l.getMessage().length()).sum();
        assertThat(chars).isLessThan(InvocationContext.MAX_CHARS_PER_ATTEMPT + 1024);
        assertThat(logs.get(0).getMessage())
                .endsWith("[flowfn: line cut at 8192 of 1048576 characters]");
        assertThat(logs.get(logs.size() - 1).getMessage())
                .startsWith("[flowfn]")
                .contains("more log lines dropped");
        assertThat(logs.get(0).getInvocationId()).isEqualTo("inv-1");
        assertThat(logs.get(0).getAttempt()).isEqualTo(2);
        assertThat(logs.get(0).getVersion()).isEqualTo(3);
    }

    @Test
    void tooManyLinesAreCountedNotKept() {
        InvocationContext ctx = context(3);
        for (int i = 0; i < 10; i++) {
            ctx.logger().warn("line " + i);
        }
        List<LogRecord> logs = ctx.sealLogs();
        assertThat(logs).hasSize(4);
        assertThat(logs.get(3).getMessage()).contains("7 more log lines dropped");
    }

    @Test
    void nothingIsKeptAfterTheAttemptEnded() {
        InvocationContext ctx = context(10);
        ctx.logger().info("before");
        ctx.emit(OutgoingEvent.json("t", "s", "{}"));
        assertThat(ctx.emittedRecords()).hasSize(1);
        ctx.logger().info("after the end"); // a runaway handler thread
        ctx.emit(OutgoingEvent.json("t", "s", "{}"));
        assertThat(ctx.sealLogs()).extracting(LogRecord::getMessage).containsExactly("before");
        assertThat(ctx.emittedRecords()).hasSize(1);
        assertThat(EVENTS.decode(ctx.emittedRecords().get(0).value).getId())
                .isEqualTo("inv-1/emit/0");
    }

    @Test
    void sealedOnItsThreadTheAttemptKeepsNothingFromOtherThreadsAndReportsOnce() throws Exception {
        List<LogRecord> published = new CopyOnWriteArrayList<>();
        InvocationContext ctx = reporting(published);
        ctx.progress(0.1, "first");
        ctx.progress(0.5, "pending"); // within a second: held back until the end
        ctx.logger().info("before");
        ctx.emit(OutgoingEvent.record("orders", "o-1", new byte[] {1}));
        ctx.seal();
        Thread runaway =
                new Thread(
                        () -> {
                            ctx.logger().info("after the end");
                            ctx.emit(OutgoingEvent.record("orders", "o-2", new byte[] {2}));
                            ctx.progress(0.9, "after the end");
                            ctx.sealLogs(); // the watchdog's side, ending it too
                        });
        runaway.start();
        runaway.join();

        assertThat(ctx.emittedTopics()).containsExactly("orders");
        assertThat(ctx.sealLogs()).extracting(LogRecord::getMessage).containsExactly("before");
        assertThat(ctx.emittedRecords())
                .singleElement()
                .satisfies(r -> assertThat(r.value).containsExactly(1));
        assertThat(published)
                .extracting(LogRecord::getMessage)
                .containsExactly("[progress 10%] first", "[progress 50%] pending");
    }

    @Test
    void recordsForOwnTopicsGoThereWithoutAnEnvelope() {
        InvocationContext ctx = context(10);
        ctx.emit(OutgoingEvent.record("orders", "o-1", new byte[] {7, 8}));
        OutputRecord r = ctx.emittedRecords().get(0);
        assertThat(r.topic).isEqualTo("orders");
        assertThat(new String(r.key, StandardCharsets.UTF_8)).isEqualTo("o-1");
        assertThat(r.value).containsExactly(7, 8);
    }

    @Test
    void progressIsPublishedAtOnceCoalescedAndNotInTheAttemptsLogs() {
        List<LogRecord> published = new CopyOnWriteArrayList<>();
        InvocationContext ctx = reporting(published);
        ctx.progress(0.1, "first");
        assertThat(published)
                .extracting(LogRecord::getMessage)
                .containsExactly("[progress 10%] first");
        ctx.progress(0.2, "second"); // within a second: held back
        ctx.progress(0.3, "third"); // replaces it
        assertThat(published).hasSize(1);
        ctx.logger().info("a normal line");
        assertThat(ctx.sealLogs())
                .extracting(LogRecord::getMessage)
                .containsExactly("a normal line");
        assertThat(published)
                .extracting(LogRecord::getMessage)
                .containsExactly("[progress 10%] first", "[progress 30%] third");
        assertThat(published.get(0).getInvocationId()).isEqualTo("inv-1");
        ctx.progress(0.9, "after the end");
        assertThat(published).hasSize(2);
    }

    @Test
    void aReportCarriesItsFractionAndMessageInAFieldOfItsOwn() {
        List<LogRecord> published = new CopyOnWriteArrayList<>();
        InvocationContext ctx = reporting(published);
        ctx.progress(0.4, "rows 400/1000");
        ctx.sealLogs();
        ctx.progress(Double.NaN, "no fraction"); // sealed: dropped
        LogRecord report = published.get(0);
        assertThat(report.getProgress().getFraction()).isEqualTo(0.4);
        assertThat(report.getProgress().getMessage()).isEqualTo("rows 400/1000");
        assertThat(report.getMessage()).isEqualTo("[progress 40%] rows 400/1000");
        assertThat(OutputRecords.progress(report).topic).isEqualTo(Topics.PROGRESS);
        assertThat(new String(OutputRecords.progress(report).key, StandardCharsets.UTF_8))
                .isEqualTo("chatty");

        InvocationContext next = reporting(published, "inv-2");
        next.progress(Double.NaN, "no fraction");
        assertThat(published.get(1).getProgress().getFraction()).isNull();
        assertThat(published.get(1).getMessage()).isEqualTo("[progress] no fraction");
    }

    @Test
    void aLogLineThatMerelyReadsLikeAReportIsNotOne() {
        List<LogRecord> published = new CopyOnWriteArrayList<>();
        InvocationContext ctx = reporting(published);
        ctx.logger().info("[progress 50%] my own text");
        List<LogRecord> logs = ctx.sealLogs();
        assertThat(published).isEmpty();
        assertThat(logs).singleElement().extracting(LogRecord::getProgress).isNull();
        assertThatThrownBy(() -> OutputRecords.progress(logs.get(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a progress report");
    }

    @Test
    void platformS3VariablesAreVisibleAndTheFunctionsOwnEnvWins() {
        FunctionSpec spec =
                FunctionSpec.newBuilder()
                        .setName("thumbs")
                        .setVersion(1)
                        .setHandler("x.Y")
                        .setCodeUri("file:/x")
                        .setCodeSha256("00")
                        .setRetry(RetryPolicy.newBuilder().build())
                        .setEnv(Map.of("FLOWFN_S3_ENDPOINT", "http://mine:9000", "K", "V"))
                        .setDeployedAt(Instant.EPOCH)
                        .build();
        InvocationContext ctx =
                new InvocationContext(
                        spec,
                        "inv-1",
                        1,
                        Instant.now().plusSeconds(5),
                        10,
                        PlatformEnv.s3("http://platform:9000", "AK", "SK"),
                        ProgressSink.NONE);
        assertThat(ctx.env())
                .containsEntry("FLOWFN_S3_ENDPOINT", "http://mine:9000")
                .containsEntry("FLOWFN_S3_ACCESS_KEY", "AK")
                .containsEntry("FLOWFN_S3_SECRET_KEY", "SK")
                .containsEntry("K", "V");
        assertThat(spec.getEnv()).doesNotContainKey("FLOWFN_S3_SECRET_KEY");
        assertThat(PlatformEnv.s3(null, "AK", "SK")).isEmpty();
    }
}
