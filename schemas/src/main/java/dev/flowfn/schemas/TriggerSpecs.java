package dev.flowfn.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses trigger specs as users write them: {@code kind:key=value,key=value}, for example {@code
 * kafka:topic=words}. Values may contain commas where the next part does not look like {@code key=}
 * (cron expressions).
 */
public final class TriggerSpecs {

    /** Trigger kinds this version of the platform runs, with the parameters each takes. */
    private static final Map<String, Kind> KINDS =
            Map.of(
                    "kafka", new Kind(Set.of("topic"), Set.of()),
                    "http", new Kind(Set.of("route"), Set.of("methods", "auth")));

    /** HTTP methods an http: trigger may name. */
    public static final Set<String> HTTP_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private static final Pattern ROUTE_SEGMENT =
            Pattern.compile("\\{[a-zA-Z_][a-zA-Z0-9_]*\\}|[a-zA-Z0-9._~-]+");

    private static final Pattern SEPARATOR = Pattern.compile(",(?=\\s*[a-zA-Z][a-zA-Z0-9_-]*=)");
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private record Kind(Set<String> required, Set<String> optional) {}

    public static Trigger parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException(
                    "trigger spec is empty; write it as kind:key=value, e.g. kafka:topic=words");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "' has no kind; write it as kind:key=value, e.g. kafka:topic=words");
        }
        String kindName = text.substring(0, colon).trim();
        Kind kind = KINDS.get(kindName);
        if (kind == null) {
            throw new InvalidSpecException(
                    "trigger kind '"
                            + kindName
                            + "' is not available in this version; available: "
                            + String.join(", ", KINDS.keySet())
                            + " (and direct invocation with 'flowfn invoke')");
        }
        Map<String, String> params = new LinkedHashMap<>();
        String body = text.substring(colon + 1);
        if (!body.isBlank()) {
            for (String part : SEPARATOR.split(body)) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidSpecException(
                            "trigger '" + text + "': '" + part + "' is not key=value");
                }
                String key = part.substring(0, eq).trim();
                if (!kind.required().contains(key) && !kind.optional().contains(key)) {
                    throw new InvalidSpecException(
                            "trigger '"
                                    + text
                                    + "': unknown parameter '"
                                    + key
                                    + "' for "
                                    + kindName
                                    + "; it takes "
                                    + List.copyOf(union(kind)));
                }
                params.put(key, part.substring(eq + 1).trim());
            }
        }
        for (String required : kind.required()) {
            if (params.getOrDefault(required, "").isEmpty()) {
                throw new InvalidSpecException(
                        "trigger '"
                                + text
                                + "' needs "
                                + required
                                + "=..., e.g. "
                                + (kindName.equals("http")
                                        ? "http:route=/u/{user},methods=GET,auth=anonymous"
                                        : "kafka:topic=words"));
            }
        }
        if (kindName.equals("kafka")) {
            validateKafka(text, params.get("topic"));
        } else if (kindName.equals("http")) {
            validateHttp(text, params);
        }
        return Trigger.newBuilder().setKind(kindName).setParams(params).setText(text).build();
    }

    private static void validateKafka(String text, String topic) {
        if (!TOPIC.matcher(topic).matches()) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "': topic '"
                            + topic
                            + "' is not a valid Kafka topic name ([a-zA-Z0-9._-], at most 249)");
        }
        if (Topics.isInternal(topic)) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "': topic '"
                            + topic
                            + "' is internal to Flowfn or Kafka; pick a topic of your own");
        }
    }

    /** Fills the defaults (methods=GET, auth=key) and checks route, methods and auth. */
    private static void validateHttp(String text, Map<String, String> params) {
        String route = params.get("route");
        if (!route.startsWith("/")) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "': route '"
                            + route
                            + "' must start with '/', e.g. /u/{user}");
        }
        if (!route.equals("/")) {
            for (String segment : route.substring(1).split("/", -1)) {
                if (!ROUTE_SEGMENT.matcher(segment).matches()) {
                    throw new InvalidSpecException(
                            "trigger '"
                                    + text
                                    + "': route segment '"
                                    + segment
                                    + "' must be a literal ([a-zA-Z0-9._~-]) or a {parameter}, e.g. /u/{user}");
                }
            }
        }
        String methods = params.getOrDefault("methods", "GET").toUpperCase(java.util.Locale.ROOT);
        for (String m : methods.split("\\|")) {
            if (!HTTP_METHODS.contains(m)) {
                throw new InvalidSpecException(
                        "trigger '"
                                + text
                                + "': method '"
                                + m
                                + "' is not one of "
                                + new java.util.TreeSet<>(HTTP_METHODS)
                                + "; separate several with |, e.g. methods=GET|POST");
            }
        }
        params.put("methods", methods);
        String auth = params.getOrDefault("auth", "key");
        if (!auth.equals("key") && !auth.equals("anonymous")) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "': auth must be key (callers send a function key"
                            + " from 'flowfn keys create') or anonymous");
        }
        params.put("auth", auth);
    }

    private static Set<String> union(Kind kind) {
        Set<String> all = new java.util.TreeSet<>(kind.required());
        all.addAll(kind.optional());
        return all;
    }

    private TriggerSpecs() {}
}
