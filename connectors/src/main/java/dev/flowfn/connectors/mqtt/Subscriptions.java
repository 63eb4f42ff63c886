package dev.flowfn.connectors.mqtt;

import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Trigger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The topic filters the connector subscribes to: the union of the {@code mqtt:} triggers of the
 * deployed functions (each filter once, at the highest QoS any trigger asks for) and the filters
 * configured with {@code mqtt.topics}. Immutable; any thread.
 */
public final class Subscriptions {

    private final Map<String, TopicFilter> byFilter;

    private Subscriptions(Map<String, TopicFilter> byFilter) {
        this.byFilter = byFilter;
    }

    public static Subscriptions empty() {
        return new Subscriptions(new TreeMap<>());
    }

    /**
     * The union of {@code configured} and the mqtt triggers of {@code functions}. A trigger whose
     * parameters are not a valid filter is skipped (the control server validates them on deploy).
     */
    public static Subscriptions of(
            Collection<TopicFilter> configured, Map<String, FunctionSpec> functions) {
        TreeMap<String, TopicFilter> union = new TreeMap<>();
        configured.forEach(f -> merge(union, f));
        for (FunctionSpec spec : functions.values()) {
            for (Trigger trigger : spec.getTriggers()) {
                if ("mqtt".equals(trigger.getKind())) {
                    fromTrigger(trigger.getParams()).ifPresent(f -> merge(union, f));
                }
            }
        }
        return new Subscriptions(union);
    }

    /** The filter of a trigger's normalized params ({@code topic}, {@code qos}, {@code device}). */
    static Optional<TopicFilter> fromTrigger(Map<String, String> params) {
        String topic = params.get("topic");
        if (topic == null) {
            return Optional.empty();
        }
        try {
            int qos = Integer.parseInt(params.getOrDefault("qos", "1").strip());
            String device = params.get("device");
            int level =
                    device == null || device.isBlank()
                            ? TopicFilter.defaultDeviceLevel(topic)
                            : Integer.parseInt(device.strip());
            return Optional.of(new TopicFilter(topic, qos, level));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }

    private static void merge(Map<String, TopicFilter> union, TopicFilter f) {
        union.merge(
                f.filter(),
                f,
                (a, b) ->
                        new TopicFilter(
                                a.filter(),
                                Math.max(a.qos(), b.qos()),
                                a.deviceLevel() != TopicFilter.NO_DEVICE
                                        ? a.deviceLevel()
                                        : b.deviceLevel()));
    }

    public Collection<TopicFilter> filters() {
        return List.copyOf(byFilter.values());
    }

    public boolean isEmpty() {
        return byFilter.isEmpty();
    }

    /** Filters in this set that {@code previous} lacks, or has at another QoS. */
    public List<TopicFilter> added(Subscriptions previous) {
        List<TopicFilter> added = new ArrayList<>();
        for (TopicFilter f : byFilter.values()) {
            TopicFilter before = previous.byFilter.get(f.filter());
            if (before == null || before.qos() != f.qos()) {
                added.add(f);
            }
        }
        return added;
    }

    /** Filters of {@code previous} that this set no longer has. */
    public List<String> removed(Subscriptions previous) {
        return previous.byFilter.keySet().stream().filter(f -> !byFilter.containsKey(f)).toList();
    }

    /**
     * The device id of a message on {@code topic}: the named level of the first matching filter (in
     * filter order) that has one; empty when none does (the subject is then the topic).
     */
    public Optional<String> device(String topic) {
        for (TopicFilter f : byFilter.values()) {
            if (f.matches(topic)) {
                Optional<String> device = f.device(topic);
                if (device.isPresent()) {
                    return device;
                }
            }
        }
        return Optional.empty();
    }
}
