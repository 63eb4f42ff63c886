package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.LogLevel;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.ProgressReport;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final InMemoryTable<LogRecord> table = new InMemoryTable<>();
    private final ProgressView view = new ProgressView(table);

    private static LogRecord.Builder line(String function, String message, Instant time) {
        return LogRecord.newBuilder()
                .setFunction(function)
                .setVersion(3)
                .setInvocationId("inv-1")
                .setLevel(LogLevel.INFO)
                .setMessage(message)
                .setTime(time);
    }

    private void put(LogRecord record) {
        table.put(record.getFunction(), record, () -> true, Duration.ZERO);
    }

    @Test
    void theLatestReportOfAFunctionIsOneLookup() {
        put(
                line("batch", "[progress 40%] rows", NOW)
                        .setProgress(
                                ProgressReport.newBuilder()
                                        .setFraction(0.4)
                                        .setMessage("rows")
                                        .build())
                        .build());

        assertThat(view.latest("batch", NOW.minusSeconds(60)))
                .containsEntry("message", "[progress 40%] rows")
                .containsEntry("fraction", 0.4)
                .containsEntry("invocationId", "inv-1")
                .containsEntry("version", 3L)
                .containsEntry("time", NOW.toString());
        assertThat(view.latest("other", NOW.minusSeconds(60))).isNull();
    }

    @Test
    void aReportWithoutAFractionHasNoFractionField() {
        put(
                line("batch", "[progress] starting", NOW)
                        .setProgress(ProgressReport.newBuilder().setMessage("starting").build())
                        .build());

        assertThat(view.latest("batch", NOW)).doesNotContainKey("fraction");
    }

    @Test
    void aReportOlderThanTheLookbackIsNotShown() {
        put(
                line("batch", "[progress 10%] old", NOW.minusSeconds(3600))
                        .setProgress(
                                ProgressReport.newBuilder()
                                        .setFraction(0.1)
                                        .setMessage("old")
                                        .build())
                        .build());

        assertThat(view.latest("batch", NOW.minusSeconds(60))).isNull();
    }

    @Test
    void aRecordWithoutTheProgressFieldIsNotAReportWhateverItsText() {
        put(line("batch", "[progress 50%] a user's own line", NOW).build());

        assertThat(view.latest("batch", NOW.minusSeconds(60))).isNull();
    }
}
