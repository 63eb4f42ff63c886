package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link FunctionRegistry} in a map, with RegistryView's versioning (monotonic across deletes).
 * {@link #failWrites} makes writes fail as a registry topic that does not answer would.
 */
class InMemoryRegistry implements FunctionRegistry {

    private final Map<String, FunctionSpec> live = new TreeMap<>();
    private final Map<String, Long> highest = new HashMap<>();
    private final List<Runnable> listeners = new ArrayList<>();
    private Exception writeFailure;
    int writes;

    InMemoryRegistry with(FunctionSpec... specs) {
        for (FunctionSpec spec : specs) {
            store(spec);
        }
        return this;
    }

    void failWrites(Exception failure) {
        this.writeFailure = failure;
    }

    @Override
    public synchronized Optional<FunctionSpec> get(String name) {
        return Optional.ofNullable(live.get(name));
    }

    @Override
    public synchronized List<FunctionSpec> all() {
        return List.copyOf(live.values());
    }

    @Override
    public synchronized long nextVersion(String name) {
        return highest.getOrDefault(name, 0L) + 1;
    }

    @Override
    public void put(FunctionSpec spec, Duration timeout) throws Exception {
        if (writeFailure != null) {
            throw writeFailure;
        }
        store(spec);
        writes++;
        listeners.forEach(Runnable::run);
    }

    @Override
    public void delete(String name, Duration timeout) throws Exception {
        if (writeFailure != null) {
            throw writeFailure;
        }
        synchronized (this) {
            live.remove(name);
        }
        writes++;
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private synchronized void store(FunctionSpec spec) {
        live.put(spec.getName(), spec);
        highest.merge(spec.getName(), spec.getVersion(), Math::max);
    }
}
