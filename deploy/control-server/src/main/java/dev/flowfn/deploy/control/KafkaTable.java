package dev.flowfn.deploy.control;

import dev.flowfn.kafka.CompactedTopicView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A {@link LiveTable} over a compacted Kafka topic: the shared {@link CompactedTopicView}, seen
 * through the control server's seam so that its tests can use a map instead.
 *
 * <p>Threads: as {@link CompactedTopicView}; reads and writes from any thread after {@link #start}.
 */
final class KafkaTable<V> implements LiveTable<V> {

    private final CompactedTopicView<V> view;

    KafkaTable(CompactedTopicView<V> view) {
        this.view = view;
    }

    @Override
    public void start(Duration timeout) throws InterruptedException {
        view.start(timeout);
    }

    @Override
    public Optional<V> get(String key) {
        return view.get(key);
    }

    @Override
    public List<V> values() {
        return view.values();
    }

    @Override
    public void put(String key, V value, BooleanSupplier visible, Duration timeout)
            throws Exception {
        view.put(key, value, visible, timeout);
    }

    @Override
    public void delete(String key, Duration timeout) throws Exception {
        view.delete(key, timeout);
    }

    @Override
    public void checkAlive() {
        view.checkAlive();
    }

    @Override
    public void close() {
        view.close();
    }
}
