package dev.flowfn.deploy.control;

import dev.flowfn.kafka.CompactedTopicView;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.ProgressReport;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest progress report of each function: the compacted {@code flowfn.progress} (keyed by
 * function name, written by the job) followed into a live table, so {@code describe} is one lookup
 * instead of a scan of {@code flowfn.logs}. Only records whose {@code progress} field is set count:
 * a log line that merely reads {@code [progress ...]} never gets here.
 *
 * <p>Threads: the table's follower thread, started by {@link #start}; {@link #latest} from any
 * thread after that.
 */
public final class ProgressView implements FunctionProgress, AutoCloseable {

    private final LiveTable<LogRecord> table;

    /** Follows {@code flowfn.progress} of {@code kafka}; nothing connects before {@link #start}. */
    public ProgressView(KafkaClientConfig kafka) {
        this(new KafkaTable<>(CompactedTopicView.ofAvro(kafka, Topics.PROGRESS, LogRecord.class)));
    }

    ProgressView(LiveTable<LogRecord> table) {
        this.table = table;
    }

    /** Reads the topic; returns once the reports there are visible. */
    public ProgressView start(Duration timeout) throws InterruptedException {
        table.start(timeout);
        return this;
    }

    @Override
    public Map<String, Object> latest(String function, Instant since) {
        LogRecord latest = table.get(function).orElse(null);
        if (latest == null
                || latest.getProgress() == null
                || !latest.getFunction().equals(function)
                || latest.getTime().isBefore(since)) {
            return null;
        }
        ProgressReport report = latest.getProgress();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", latest.getTime().toString());
        out.put("version", latest.getVersion());
        out.put("invocationId", latest.getInvocationId());
        out.put("message", latest.getMessage());
        if (report.getFraction() != null) {
            out.put("fraction", report.getFraction());
        }
        return out;
    }

    /**
     * Throws once the follower thread died: this view no longer changes.
     *
     * @throws IllegalStateException naming the cause
     */
    public void checkAlive() {
        table.checkAlive();
    }

    @Override
    public void close() throws InterruptedException {
        table.close();
    }
}
