package dev.flowfn.deploy.control;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;

/** A {@link LiveTable} in a sorted map: writes are visible at once. */
final class InMemoryTable<V> implements LiveTable<V> {

    private final ConcurrentSkipListMap<String, V> map = new ConcurrentSkipListMap<>();

    @Override
    public void start(Duration timeout) {}

    @Override
    public Optional<V> get(String key) {
        return Optional.ofNullable(map.get(key));
    }

    @Override
    public List<V> values() {
        return List.copyOf(new TreeMap<>(map).values());
    }

    @Override
    public void put(String key, V value, BooleanSupplier visible, Duration timeout) {
        map.put(key, value);
        if (!visible.getAsBoolean()) {
            throw new IllegalStateException("the write of " + key + " is not visible");
        }
    }

    @Override
    public void delete(String key, Duration timeout) {
        map.remove(key);
    }

    @Override
    public void close() {}
}
