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

    private record Bound(Target target, Trigger trigger) {}

    private final Map<String, DeployedFunction> byName = new HashMap<>();
    private final Map<String, List<Target>> byTopic = new HashMap<>();
    private final Map<String, List<Bound>> byBucket = new HashMap<>();
    private final List<Bound> mqtt = new ArrayList<>();

    /**
     * Takes a function's latest registry record (its versions and aliases with it) and returns the
     * function as it was before, or null.
     */
    public DeployedFunction put(FunctionSpec record) {
        DeployedFunction before = byName.get(record.getName());
        byName.put(record.getName(), DeployedFunction.of(record, before));
        rebuild();
        return before;
    }

    /** Removes a function and returns it as it was, or null. */
    public DeployedFunction remove(String name) {
        DeployedFunction before = byName.remove(name);
        if (before != null) {
            rebuild();
        }
        return before;
    }

    public void putAll(Iterable<Map.Entry<String, FunctionSpec>> entries) {
        for (Map.Entry<String, FunctionSpec> e : entries) {
            byName.put(e.getKey(), DeployedFunction.of(e.getValue(), byName.get(e.getKey())));
        }
        rebuild();
    }

    /** The function named {@code name}, or null. */
    public DeployedFunction function(String name) {
        return byName.get(name);
    }

    /** What a record on this Kafka topic triggers; empty if nothing. */
    public List<Target> forTopic(String topic) {
        return byTopic.getOrDefault(topic, List.of());
    }

    /**
     * What {@code event}, read from {@code topic} and not addressed to one function, triggers;
     * empty if nothing.
     */
    public List<Target> matching(String topic, Event event) {
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

    private List<Target> forObject(String type, String bucket, String key) {
        if (bucket == null || key == null) {
            return List.of();
        }
        List<Target> hits = new ArrayList<>(1);
        for (Bound b : byBucket.getOrDefault(bucket, List.of())) {
            Map<String, String> p = b.trigger().getParams();
            if (key.startsWith(p.getOrDefault("prefix", ""))
                    && key.endsWith(p.getOrDefault("suffix", ""))
                    && eventKindFits(p.getOrDefault("events", "put"), type)
                    && !hasFunction(hits, b.target())) {
                hits.add(b.target());
            }
        }
        return hits;
    }

    /** One invocation per function and event, even when several of its triggers match. */
    private static boolean hasFunction(List<Target> hits, Target t) {
        for (Target hit : hits) {
            if (hit.function() == t.function()) {
                return true;
            }
        }
        return false;
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

    private List<Target> forMqtt(String topic) {
        if (topic == null) {
            return List.of();
        }
        List<Target> hits = new ArrayList<>(1);
        for (Bound b : mqtt) {
            if (MqttTopicFilter.matches(b.trigger().getParams().get("topic"), topic)
                    && !hasFunction(hits, b.target())) {
                hits.add(b.target());
            }
        }
        return hits;
    }

    private List<Target> forTick(String function, String triggerText) {
        DeployedFunction f = function == null ? null : byName.get(function);
        if (f == null) {
            return List.of();
        }
        for (Trigger t : f.latest().getTriggers()) {
            if (t.getKind().equals("cron") && t.getText().equals(triggerText)) {
                return List.of(new Target(f, TriggerSpecs.qualifier(t)));
            }
        }
        return List.of();
    }

    private void rebuild() {
        byTopic.clear();
        byBucket.clear();
        mqtt.clear();
        for (DeployedFunction f : byName.values()) {
            // the latest version's triggers are the function's; each names the version it runs
            for (Trigger t : f.latest().getTriggers()) {
                Target target = new Target(f, TriggerSpecs.qualifier(t));
                switch (t.getKind()) {
                    case "kafka" -> {
                        List<Target> onTopic =
                                byTopic.computeIfAbsent(
                                        t.getParams().get("topic"), k -> new ArrayList<>());
                        if (!hasFunction(onTopic, target)) {
                            onTopic.add(target);
                        }
                    }
                    case "s3" ->
                            byBucket.computeIfAbsent(
                                            t.getParams().get("bucket"), k -> new ArrayList<>())
                                    .add(new Bound(target, t));
                    case "mqtt" -> mqtt.add(new Bound(target, t));
                    default -> {
                        // http triggers arrive as direct invocations; cron ticks name their
                        // function
                    }
                }
            }
        }
    }
}
