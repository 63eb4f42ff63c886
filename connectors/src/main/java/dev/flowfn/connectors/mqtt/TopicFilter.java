package dev.flowfn.connectors.mqtt;

import dev.flowfn.schemas.MqttTopicFilter;
import java.util.Objects;
import java.util.Optional;

/**
 * An MQTT topic filter ({@code devices/+/logs}, {@code sensors/#}) with the level of a matching
 * topic that holds the device id.
 *
 * <p>The device level is the one a {@code mqtt:} trigger names with {@code device=N} (0-based);
 * without it, the level of the first {@code +}; with neither, there is none and the whole topic is
 * the subject. Immutable; any thread.
 */
public record TopicFilter(String filter, int qos, int deviceLevel)
        implements Comparable<TopicFilter> {

    /** No level holds the device id: the subject is the whole topic. */
    public static final int NO_DEVICE = -1;

    public TopicFilter {
        Objects.requireNonNull(filter, "filter");
        validate(filter);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException(
                    "qos " + qos + " for MQTT filter '" + filter + "' must be 0, 1 or 2");
        }
        if (deviceLevel < NO_DEVICE) {
            throw new IllegalArgumentException(
                    "device level " + deviceLevel + " for '" + filter + "' must be 0 or more");
        }
    }

    /** A filter whose device level is the first {@code +}, if any. */
    public static TopicFilter of(String filter, int qos) {
        return new TopicFilter(filter, qos, defaultDeviceLevel(filter));
    }

    /** The 0-based level of the first {@code +} in {@code filter}, or {@link #NO_DEVICE}. */
    public static int defaultDeviceLevel(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("+")) {
                return i;
            }
        }
        return NO_DEVICE;
    }

    /** Whether {@code topic} (a concrete topic name, no wildcards) matches this filter. */
    public boolean matches(String topic) {
        return matches(filter, topic);
    }

    /** MQTT 3.1.1 section 4.7 matching; topics starting with '$' match no leading wildcard. */
    public static boolean matches(String filter, String topic) {
        return MqttTopicFilter.matches(filter, topic);
    }

    /** The device id in {@code topic} (which matches this filter), if this filter names a level. */
    public Optional<String> device(String topic) {
        if (deviceLevel == NO_DEVICE) {
            return Optional.empty();
        }
        String[] levels = topic.split("/", -1);
        if (deviceLevel >= levels.length || levels[deviceLevel].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(levels[deviceLevel]);
    }

    private static void validate(String filter) {
        if (filter.isEmpty() || filter.length() > 65535) {
            throw new IllegalArgumentException("MQTT topic filter must be 1-65535 characters");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException(
                        "MQTT topic filter '" + filter + "': '#' must be a whole last level");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException(
                        "MQTT topic filter '" + filter + "': '+' must be a whole level");
            }
        }
    }

    @Override
    public int compareTo(TopicFilter other) {
        return filter.compareTo(other.filter);
    }
}
