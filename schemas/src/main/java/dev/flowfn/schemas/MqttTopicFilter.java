package dev.flowfn.schemas;

/**
 * MQTT topic filters as MQTT 3.1.1 and 5 define them: levels split by {@code /}, {@code +} matches
 * one level, {@code #} (last) matches any number of remaining levels, including none. Topics that
 * start with {@code $} are not matched by a filter that starts with a wildcard.
 */
public final class MqttTopicFilter {

    /** Whether {@code topic} (a concrete topic name) matches {@code filter}. */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** What is wrong with {@code filter}, or null if it is a valid filter. */
    public static String problem(String filter) {
        if (filter.isEmpty() || filter.length() > 65535) {
            return "topic filter must be 1 to 65535 characters, e.g. devices/+/logs";
        }
        if (filter.indexOf('\u0000') >= 0) {
            return "topic filter must not contain NUL";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return "topic filter '"
                        + filter
                        + "': # must be a whole level and the last one, e.g. devices/#";
            }
            if (level.contains("+") && !level.equals("+")) {
                return "topic filter '"
                        + filter
                        + "': + must be a whole level, e.g. devices/+/logs";
            }
        }
        return null;
    }

    /** The level at {@code index} of {@code topic}, or null if the topic has fewer levels. */
    public static String level(String topic, int index) {
        String[] t = topic.split("/", -1);
        return index >= 0 && index < t.length ? t[index] : null;
    }

    private MqttTopicFilter() {}
}
