package dev.flowfn.deploy.control;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A function's results from {@code flowfn.results} (read_committed): status, duration, attempts and
 * id of each invocation, without the data. Threads: request threads.
 */
final class ResultLog implements FunctionResults {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    static final int MAX_READ = 5_000;

    private final TopicReader reader;

    ResultLog(TopicReader reader) {
        this.reader = reader;
    }

    @Override
    public Map<String, Object> read(String function, Instant since, String cursor) {
        TopicReader.Slice slice = reader.read(Topics.RESULTS, cursor, since, MAX_READ);
        List<Map<String, Object>> results = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : slice.records()) {
            InvocationResult result = RESULTS.decode(r.value());
            if (result.getFunction().equals(function)) {
                results.add(summary(result, r.timestamp()));
            }
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("results", results);
        page.put("cursor", slice.cursor());
        return page;
    }

    /** One invocation, without its data. */
    static Map<String, Object> summary(InvocationResult r, long writtenAtMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("invocationId", r.getInvocationId());
        m.put("version", r.getVersion());
        m.put("success", r.getSuccess());
        m.put("failureKind", r.getSuccess() ? null : String.valueOf(r.getFailureKind()));
        m.put("error", r.getSuccess() ? null : r.getError());
        m.put("attempts", r.getAttempts());
        m.put("durationMs", r.getDurationMicros() / 1000.0);
        m.put("time", Instant.ofEpochMilli(writtenAtMillis).toString());
        return m;
    }
}
