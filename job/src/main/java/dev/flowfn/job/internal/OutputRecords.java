package dev.flowfn.job.internal;

import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.InvocationRecord;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.MeterWindow;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Encodes the job's outputs into records for the exactly-once sink. Thread-safe. */
public final class OutputRecords {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);
    private static final AvroCodec<LogRecord> LOGS = AvroCodec.of(LogRecord.class);
    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);
    private static final AvroCodec<InvocationRecord> INVOCATIONS =
            AvroCodec.of(InvocationRecord.class);
    private static final AvroCodec<MeterWindow> METER_WINDOWS = AvroCodec.of(MeterWindow.class);
    private static final AvroCodec<Alert> ALERTS = AvroCodec.of(Alert.class);

    public static OutputRecord result(InvocationResult result) {
        return new OutputRecord(
                Topics.RESULTS, utf8(result.getInvocationId()), RESULTS.encode(result));
    }

    public static OutputRecord deadLetter(DeadLetter letter) {
        String key = letter.getFunction() == null ? "" : letter.getFunction();
        return new OutputRecord(Topics.DLQ, utf8(key), DEAD_LETTERS.encode(letter));
    }

    /** A dead letter for a record no function could be identified for. */
    public static OutputRecord deadLetter(SourceRecord record, FailureKind kind, String reason) {
        return deadLetter(
                DeadLetter.newBuilder()
                        .setKind(kind)
                        .setReason(reason)
                        .setRaw(record.toRaw())
                        .setTime(Instant.now())
                        .build());
    }

    public static OutputRecord log(LogRecord log) {
        return new OutputRecord(Topics.LOGS, utf8(log.getFunction()), LOGS.encode(log));
    }

    /** A progress report as the latest of its function, for the compacted flowfn.progress. */
    public static OutputRecord progress(LogRecord report) {
        if (report.getProgress() == null) {
            throw new IllegalArgumentException(
                    "log line of " + report.getInvocationId() + " is not a progress report");
        }
        return new OutputRecord(Topics.PROGRESS, utf8(report.getFunction()), LOGS.encode(report));
    }

    public static OutputRecord invocation(InvocationRecord record) {
        return new OutputRecord(
                Topics.INVOCATIONS, utf8(record.getFunction()), INVOCATIONS.encode(record));
    }

    public static InvocationRecord invocation(OutputRecord record) {
        return INVOCATIONS.decode(record.value);
    }

    public static OutputRecord meterWindow(MeterWindow window) {
        return new OutputRecord(
                Topics.METERING, utf8(window.getFunction()), METER_WINDOWS.encode(window));
    }

    public static OutputRecord alert(Alert alert) {
        return new OutputRecord(Topics.ALERTS, utf8(alert.getFunction()), ALERTS.encode(alert));
    }

    public static OutputRecord event(Event event) {
        String key = event.getSubject() != null ? event.getSubject() : event.getId();
        return new OutputRecord(Topics.EVENTS, utf8(key), EVENTS.encode(event));
    }

    /** A plain record a function emitted to a topic of the user's (no envelope). */
    public static OutputRecord record(String topic, String key, byte[] value) {
        return new OutputRecord(topic, key == null ? null : utf8(key), value);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private OutputRecords() {}
}
