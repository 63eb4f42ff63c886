package dev.flowfn.deploy.control;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A function's log lines from {@code flowfn.logs}, filtered, with a cursor to follow them. */
final class Logs implements FunctionLogs {

    private static final AvroCodec<LogRecord> LOGS = AvroCodec.of(LogRecord.class);
    static final int MAX_LINES = 5_000;

    private final TopicReader reader;

    Logs(TopicReader reader) {
        this.reader = reader;
    }

    @Override
    public Map<String, Object> read(
            String function, Instant since, String invocation, String cursor) {
        TopicReader.Slice slice = reader.read(Topics.LOGS, cursor, since, MAX_LINES);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : slice.records()) {
            LogRecord log = LOGS.decode(r.value());
            if (!log.getFunction().equals(function)
                    || (invocation != null && !log.getInvocationId().equals(invocation))) {
                continue;
            }
            lines.add(line(log));
        }
        return page(lines, slice.cursor());
    }

    /** The JSON of a {@code LogPage} (control-api); ApiShapesTest pins it to the record. */
    static Map<String, Object> page(List<Map<String, Object>> lines, String cursor) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lines", lines);
        out.put("cursor", cursor);
        return out;
    }

    /** The JSON of a {@code LogLine} (control-api); ApiShapesTest pins it to the record. */
    static Map<String, Object> line(LogRecord log) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", log.getTime().toString());
        line.put("level", log.getLevel().toString());
        line.put("version", log.getVersion());
        line.put("invocationId", log.getInvocationId());
        line.put("attempt", log.getAttempt());
        line.put("message", log.getMessage());
        return line;
    }
}
