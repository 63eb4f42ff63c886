package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.control.api.LogLine;
import dev.flowfn.deploy.control.api.LogPage;
import dev.flowfn.deploy.control.api.Progress;
import dev.flowfn.deploy.control.api.UsageRow;
import dev.flowfn.schemas.LogLevel;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.MeterWindow;
import dev.flowfn.schemas.ProgressReport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The answers the server still builds as maps (usage rows, log pages, progress reports) read as the
 * control-api records, field for field: what the server writes is what the client reads.
 */
class ApiShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static <T> T asRecord(Object map, Class<T> type) throws IOException {
        return JSON.readValue(JSON.writeValueAsBytes(map), type);
    }

    /** What a client sees of {@code value}: its JSON read as plain maps. */
    private static Map<String, Object> plain(Object value) throws IOException {
        return JSON.readValue(
                JSON.writeValueAsBytes(value), new TypeReference<Map<String, Object>>() {});
    }

    private static LogRecord.Builder log() {
        return LogRecord.newBuilder()
                .setFunction("upper")
                .setVersion(3)
                .setInvocationId("inv-1")
                .setAttempt(2)
                .setLevel(LogLevel.WARN)
                .setMessage("slow")
                .setTime(NOW);
    }

    @Test
    void aLogPageReadsAsLogPage() throws IOException {
        Map<String, Object> page = Logs.page(List.of(Logs.line(log().build())), "0:7");

        assertThat(asRecord(page, LogPage.class))
                .isEqualTo(
                        new LogPage(
                                List.of(new LogLine(NOW.toString(), "WARN", 3, "inv-1", 2, "slow")),
                                "0:7"));
    }

    @Test
    void aUsageRowReadsAsUsageRowWithAndWithoutAWindow() throws IOException {
        Usage.Row bucketed = new Usage.Row("upper", 2, NOW);
        bucketed.add(
                MeterWindow.newBuilder()
                        .setFunction("upper")
                        .setVersion(2)
                        .setWindowStart(NOW)
                        .setWindowEnd(NOW.plusSeconds(60))
                        .setRevision(1)
                        .setLate(false)
                        .setInvocations(10)
                        .setErrors(1)
                        .setThrottles(2)
                        .setDeadLetters(3)
                        .setBilledMs(40)
                        .setMbMs(40 * 256)
                        .setP50Ms(3)
                        .setP99Ms(9)
                        .setMaxMs(12)
                        .build());
        Map<String, Object> json = Usage.json(bucketed, PriceTable.DEFAULT);

        UsageRow row = asRecord(json, UsageRow.class);

        assertThat(row)
                .isEqualTo(
                        new UsageRow(
                                "upper",
                                2,
                                NOW.toString(),
                                10,
                                1,
                                2,
                                3,
                                40,
                                (String) json.get("gbSeconds"),
                                3,
                                9,
                                (String) json.get("cost")));
        assertThat(plain(row)).isEqualTo(plain(json));
        Map<String, Object> perVersion =
                Usage.json(new Usage.Row("upper", 2, null), PriceTable.DEFAULT);
        assertThat(asRecord(perVersion, UsageRow.class).window()).isNull();
        assertThat(plain(asRecord(perVersion, UsageRow.class)))
                .isEqualTo(plain(perVersion))
                .doesNotContainKey("window");
    }

    @Test
    void aProgressReportReadsAsProgress() throws IOException {
        InMemoryTable<LogRecord> table = new InMemoryTable<>();
        ProgressView view = new ProgressView(table);
        table.put(
                "upper",
                log().setProgress(
                                ProgressReport.newBuilder()
                                        .setFraction(0.4)
                                        .setMessage("rows")
                                        .build())
                        .build(),
                () -> true,
                Duration.ZERO);

        Map<String, Object> latest = view.latest("upper", NOW.minusSeconds(60));

        assertThat(asRecord(latest, Progress.class))
                .isEqualTo(new Progress(NOW.toString(), 3L, "inv-1", "slow", 0.4));
        assertThat(plain(asRecord(latest, Progress.class))).isEqualTo(plain(latest));
    }
}
