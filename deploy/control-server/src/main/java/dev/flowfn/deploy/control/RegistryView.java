package dev.flowfn.deploy.control;

import dev.flowfn.kafka.CompactedTopicView;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control server's view of {@code flowfn.functions}, and the only writer to it. Versions are
 * monotonic per name, also across deletes (as long as the topic keeps the old records).
 * Thread-safe.
 */
public final class RegistryView implements FunctionRegistry, AutoCloseable {

    private final Map<String, Long> highestVersion = new ConcurrentHashMap<>();
    private final CompactedTopicView<FunctionSpec> view;

    public RegistryView(KafkaClientConfig kafka) {
        view =
                CompactedTopicView.ofAvro(kafka, Topics.FUNCTIONS, FunctionSpec.class)
                        .onValue(
                                spec ->
                                        highestVersion.merge(
                                                spec.getName(), spec.getVersion(), Math::max));
    }

    public RegistryView start(Duration timeout) throws InterruptedException {
        view.start(timeout);
        return this;
    }

    /** Runs on the follower thread once the registry is read, then after each change to it. */
    @Override
    public void onChange(Runnable listener) {
        view.onChange(functions -> listener.run());
    }

    @Override
    public Optional<FunctionSpec> get(String name) {
        return view.get(name);
    }

    @Override
    public List<FunctionSpec> all() {
        return view.values();
    }

    /** The version the next deploy of {@code name} gets. */
    @Override
    public long nextVersion(String name) {
        return highestVersion.getOrDefault(name, 0L) + 1;
    }

    /**
     * Writes a function's record and waits until this view shows it (or a newer version: another
     * server deployed meanwhile). An alias move keeps the version, so the record itself is
     * compared.
     */
    @Override
    public void put(FunctionSpec spec, Duration timeout) throws Exception {
        view.put(
                spec.getName(),
                spec,
                () ->
                        get(spec.getName())
                                .map(s -> s.getVersion() > spec.getVersion() || s.equals(spec))
                                .orElse(false),
                timeout);
    }

    /** Deletes a function and waits until this view shows it. */
    @Override
    public void delete(String name, Duration timeout) throws Exception {
        view.delete(name, timeout);
    }

    /**
     * Throws once the follower thread died: this view no longer changes.
     *
     * @throws IllegalStateException naming the cause
     */
    public void checkAlive() {
        view.checkAlive();
    }

    @Override
    public void close() throws InterruptedException {
        view.close();
    }
}
