package dev.flowfn.deploy.control;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.MeterWindow;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Usage per function version (and per time bucket, if asked) from {@code flowfn.metering}: the
 * latest revision of each window plus late records, so nothing counts twice.
 */
final class Usage implements UsageReport {

    private static final AvroCodec<MeterWindow> WINDOWS = AvroCodec.of(MeterWindow.class);

    private final TopicReader reader;
    private final PriceTable prices;

    Usage(TopicReader reader, PriceTable prices) {
        this.reader = reader;
        this.prices = prices;
    }

    /** Rows ordered by function, version and bucket; {@code bucket} null = one row per version. */
    @Override
    public List<Map<String, Object>> rows(String function, Duration since, Duration bucket) {
        Instant from = Instant.now().minus(since);
        Map<String, MeterWindow> latest = new LinkedHashMap<>();
        List<MeterWindow> late = new ArrayList<>();
        // windows end after they start: read from one window before the range (max window 1 h)
        for (ConsumerRecord<byte[], byte[]> r :
                reader.read(
                                Topics.METERING,
                                null,
                                from.minus(Duration.ofHours(1)),
                                Integer.MAX_VALUE)
                        .records()) {
            MeterWindow w = WINDOWS.decode(r.value());
            if ((function != null && !w.getFunction().equals(function))
                    || w.getWindowEnd().isBefore(from)) {
                continue;
            }
            if (w.getLate()) {
                late.add(w);
            } else {
                latest.merge(
                        w.getFunction() + "@" + w.getVersion() + "@" + w.getWindowStart(),
                        w,
                        (a, b) -> b.getRevision() >= a.getRevision() ? b : a);
            }
        }
        Map<String, Row> rows = new TreeMap<>();
        List<MeterWindow> all = new ArrayList<>(latest.values());
        all.addAll(late);
        for (MeterWindow w : all) {
            Instant at =
                    bucket == null
                            ? null
                            : Instant.ofEpochMilli(
                                    w.getWindowStart().toEpochMilli()
                                            - Math.floorMod(
                                                    w.getWindowStart().toEpochMilli(),
                                                    bucket.toMillis()));
            String key =
                    w.getFunction()
                            + "\u0000"
                            + String.format("%019d", w.getVersion())
                            + "\u0000"
                            + at;
            rows.computeIfAbsent(key, k -> new Row(w.getFunction(), w.getVersion(), at)).add(w);
        }
        return rows.values().stream().map(r -> json(r, prices)).toList();
    }

    /** The JSON of a {@code UsageRow} (control-api); ApiShapesTest pins it to the record. */
    static Map<String, Object> json(Row r, PriceTable prices) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("function", r.function);
        m.put("version", r.version);
        if (r.bucket != null) {
            m.put("window", r.bucket.toString());
        }
        m.put("invocations", r.invocations);
        m.put("errors", r.errors);
        m.put("throttles", r.throttles);
        m.put("deadLetters", r.deadLetters);
        m.put("billedMs", r.billedMs);
        m.put("gbSeconds", PriceTable.gbSeconds(r.mbMs).toPlainString());
        m.put("p50Ms", r.p50);
        m.put("p99Ms", r.p99);
        m.put("cost", prices.cost(r.invocations, r.mbMs).toPlainString());
        return m;
    }

    /** Sums of one row; p50/p99 are the worst window's (windows keep no raw durations). */
    static final class Row {
        final String function;
        final long version;
        final Instant bucket;
        long invocations;
        long errors;
        long throttles;
        long deadLetters;
        long billedMs;
        long mbMs;
        long p50;
        long p99;

        Row(String function, long version, Instant bucket) {
            this.function = function;
            this.version = version;
            this.bucket = bucket;
        }

        void add(MeterWindow w) {
            invocations += w.getInvocations();
            errors += w.getErrors();
            throttles += w.getThrottles();
            deadLetters += w.getDeadLetters();
            billedMs += w.getBilledMs();
            mbMs += w.getMbMs();
            p50 = Math.max(p50, w.getP50Ms());
            p99 = Math.max(p99, w.getP99Ms());
        }
    }
}
