package dev.flowfn.job.internal;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.MqttTopicFilter;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.Trigger;
import dev.flowfn.schemas.TriggerSpecs;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployed functions as the matcher needs them: by name, by trigger topic, by bucket, and the
 * MQTT topic filters. Rebuilt from the registry on every change (deploys are rare, events are
 * many). Not thread-safe: owned by one matcher instance.
 *
 * <p>What triggers what: a record on a user's topic, every {@code kafka:topic=} trigger naming it;
 * an {@code s3:*} event on {@code flowfn.events}, every s3 trigger on its bucket whose prefix,
 * suffix and event kinds fit; an {@code mqtt.message}, every mqtt trigger whose filter matches its
 * topic; a {@code timer.tick}, only the function it names, and only while that function still has
 * the cron trigger it was scheduled for. Types and extensions: {@link EventTypes}, {@link
 * EventExtensions} (CONTRACTS.md, "Event types", "Extensions").
 */
public final class TriggerIndex {

    private record Bound(FunctionSpec spec, Trigger trigger) {}

    private final Map<String, FunctionSpec> byName = new HashMap<>();
    private final Map<String, List<FunctionSpec>> byTopic = new HashMap<>();
    private final Map<String, List<Bound>> byBucket = new HashMap<>();
    private final List<Bound> mqtt = new ArrayList<>();

    public void put(FunctionSpec spec) {
        byName.put(spec.getName(), spec);
        rebuild();
    }

    public void remove(String name) {
        if (byName.remove(name) != null) {
            rebuild();
        }
    }

    public void putAll(Iterable<Map.Entry<String, FunctionSpec>> entries) {
        for (Map.Entry<String, FunctionSpec> e : entries) {
            byName.put(e.getKey(), e.getValue());
        }
        rebuild();
    }

    public FunctionSpec function(String name) {
        return byName.get(name);
    }

    /** The functions a record on this Kafka topic triggers; empty if none. */
    public List<FunctionSpec> forTopic(String topic) {
        return byTopic.getOrDefault(topic, List.of());
    }

    /**
     * The functions {@code event}, read from {@code topic} and not addressed to one function,
     * triggers; empty if none.
     */
    public List<FunctionSpec> matching(String topic, Event event) {
        if (!topic.equals(Topics.EVENTS)) {
            return forTopic(topic);
        }
        String type = event.getType();
        Map<String, String> ext = event.getExtensions();
        if (EventTypes.isS3(type)) {
            return forObject(
                    type, ext.get(EventExtensions.S3_BUCKET), ext.get(EventExtensions.S3_KEY));
        }
        if (type.equals(EventTypes.MQTT_MESSAGE)) {
            return forMqtt(ext.get(EventExtensions.MQTT_TOPIC));
        }
        if (type.equals(EventTypes.TIMER_TICK)) {
            return forTick(
                    ext.get(EventExtensions.TIMER_FUNCTION),
                    ext.get(EventExtensions.TIMER_TRIGGER));
        }
        return List.of();
    }

    public int size() {
        return byName.size();
    }

    private List<FunctionSpec> forObject(String type, String bucket, String key) {
        if (bucket == null || key == null) {
            return List.of();
        }
        List<FunctionSpec> hits = new ArrayList<>(1);
        for (Bound b : byBucket.getOrDefault(bucket, List.of())) {
            Map<String, String> p = b.trigger().getParams();
            if (key.startsWith(p.getOrDefault("prefix", ""))
                    && key.endsWith(p.getOrDefault("suffix", ""))
                    && eventKindFits(p.getOrDefault("events", "put"), type)
                    && !hits.contains(b.spec())) {
                hits.add(b.spec());
            }
        }
        return hits;
    }

    private static boolean eventKindFits(String events, String type) {
        for (String kind : events.split("\\|")) {
            String prefix = TriggerSpecs.S3_EVENTS.get(kind);
            if (prefix != null && type.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private List<FunctionSpec> forMqtt(String topic) {
        if (topic == null) {
            return List.of();
        }
        List<FunctionSpec> hits = new ArrayList<>(1);
        for (Bound b : mqtt) {
            if (MqttTopicFilter.matches(b.trigger().getParams().get("topic"), topic)
                    && !hits.contains(b.spec())) {
                hits.add(b.spec());
            }
        }
        return hits;
    }

    private List<FunctionSpec> forTick(String function, String triggerText) {
        FunctionSpec spec = function == null ? null : byName.get(function);
        if (spec == null) {
            return List.of();
        }
        for (Trigger t : spec.getTriggers()) {
            if (t.getKind().equals("cron") && t.getText().equals(triggerText)) {
                return List.of(spec);
            }
        }
        return List.of();
    }

    private void rebuild() {
        byTopic.clear();
        byBucket.clear();
        mqtt.clear();
        for (FunctionSpec spec : byName.values()) {
            for (Trigger t : spec.getTriggers()) {
                switch (t.getKind()) {
                    case "kafka" ->
                            byTopic.computeIfAbsent(
                                            t.getParams().get("topic"), k -> new ArrayList<>())
                                    .add(spec);
                    case "s3" ->
                            byBucket.computeIfAbsent(
                                            t.getParams().get("bucket"), k -> new ArrayList<>())
                                    .add(new Bound(spec, t));
                    case "mqtt" -> mqtt.add(new Bound(spec, t));
                    default -> {
                        // http triggers arrive as direct invocations; cron ticks name their
                        // function
                    }
                }
            }
        }
    }
}
