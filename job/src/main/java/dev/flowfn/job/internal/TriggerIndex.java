package dev.flowfn.job.internal;

import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployed functions as the matcher needs them: by name, and by trigger topic. Rebuilt from the
 * registry on every change (deploys are rare, events are many). Not thread-safe: owned by one
 * matcher instance.
 */
public final class TriggerIndex {

    private final Map<String, FunctionSpec> byName = new HashMap<>();
    private final Map<String, List<FunctionSpec>> byTopic = new HashMap<>();

    public void put(FunctionSpec spec) {
        byName.put(spec.getName(), spec);
        rebuildTopics();
    }

    public void remove(String name) {
        if (byName.remove(name) != null) {
            rebuildTopics();
        }
    }

    public void putAll(Iterable<Map.Entry<String, FunctionSpec>> entries) {
        for (Map.Entry<String, FunctionSpec> e : entries) {
            byName.put(e.getKey(), e.getValue());
        }
        rebuildTopics();
    }

    public FunctionSpec function(String name) {
        return byName.get(name);
    }

    /** The functions a record on this Kafka topic triggers; empty if none. */
    public List<FunctionSpec> forTopic(String topic) {
        return byTopic.getOrDefault(topic, List.of());
    }

    public int size() {
        return byName.size();
    }

    private void rebuildTopics() {
        byTopic.clear();
        for (FunctionSpec spec : byName.values()) {
            for (Trigger t : spec.getTriggers()) {
                if (t.getKind().equals("kafka")) {
                    byTopic.computeIfAbsent(t.getParams().get("topic"), k -> new ArrayList<>())
                            .add(spec);
                }
            }
        }
    }
}
