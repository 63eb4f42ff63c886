package dev.flowfn.deploy.control;

import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Topics;
import java.time.Instant;
import java.util.List;

/** The alerts on {@code flowfn.alerts} (at most the first 10,000 of a request's range). */
final class AlertLog implements AlertHistory {

    static final int MAX_ALERTS = 10_000;
    private static final AvroCodec<Alert> ALERTS = AvroCodec.of(Alert.class);

    private final TopicReader reader;

    AlertLog(TopicReader reader) {
        this.reader = reader;
    }

    @Override
    public List<Alert> since(Instant from) {
        return reader.read(Topics.ALERTS, null, from, MAX_ALERTS).records().stream()
                .map(r -> ALERTS.decode(r.value()))
                .toList();
    }
}
