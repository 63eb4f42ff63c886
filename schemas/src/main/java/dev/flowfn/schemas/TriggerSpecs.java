package dev.flowfn.schemas;

import dev.flowfn.schemas.contract.EventTypes;
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
            new java.util.TreeMap<>(
                    Map.of(
                            "kafka",
                            new Kind(Set.of("topic"), Set.of(), "kafka:topic=words"),
                            "http",
                            new Kind(
                                    Set.of("route"),
                                    Set.of("methods", "auth"),
                                    "http:route=/u/{user},methods=GET,auth=anonymous"),
                            "s3",
                            new Kind(
                                    Set.of("bucket"),
                                    Set.of("prefix", "suffix", "events"),
                                    "s3:bucket=photos,prefix=uploads/,suffix=.jpg,events=put"),
                            "mqtt",
                            new Kind(
                                    Set.of("topic"),
                                    Set.of("qos", "device"),
                                    "mqtt:topic=devices/+/logs,qos=1"),
                            "cron",
                            new Kind(
                                    Set.of("expr"),
                                    Set.of("tz", "catchup"),
                                    "cron:expr=*/5 * * * *,tz=UTC,catchup=latest")));

    /** What an s3 trigger's {@code events=} may name, and the event type prefix each stands for. */
    public static final Map<String, String> S3_EVENTS =
            Map.of(
                    "put",
                    EventTypes.S3_OBJECT_CREATED_PREFIX,
                    "delete",
                    EventTypes.S3_OBJECT_REMOVED_PREFIX);

    /** Catch-up policies of a cron trigger after downtime. */
    public static final Set<String> CRON_CATCHUP = Set.of("all", "latest", "none");

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** HTTP methods an http: trigger may name. */
    public static final Set<String> HTTP_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private static final Pattern ROUTE_SEGMENT =
            Pattern.compile("\\{[a-zA-Z_][a-zA-Z0-9_]*\\}|[a-zA-Z0-9._~-]+");

    private static final Pattern SEPARATOR = Pattern.compile(",(?=\\s*[a-zA-Z][a-zA-Z0-9_-]*=)");
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /**
     * Parameters every trigger kind takes: which version runs what it triggers, an alias ({@code
     * alias=prod}) or a version ({@code version=3}); without either, the latest version.
     */
    public static final Set<String> ADDRESSING = Set.of("alias", "version");

    private record Kind(Set<String> required, Set<String> optional, String example) {}

    /**
     * The qualifier of the version a trigger runs: an alias name, a version number, or null for the
     * latest version (see {@link FunctionAddress}).
     */
    public static String qualifier(Trigger trigger) {
        String alias = trigger.getParams().get("alias");
        return alias != null ? alias : trigger.getParams().get("version");
    }

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
                if (!kind.required().contains(key)
                        && !kind.optional().contains(key)
                        && !ADDRESSING.contains(key)) {
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
                                + kind.example());
            }
        }
        validateAddressing(text, params);
        switch (kindName) {
            case "kafka" -> validateKafka(text, params.get("topic"));
            case "http" -> validateHttp(text, params);
            case "s3" -> validateS3(text, params);
            case "mqtt" -> validateMqtt(text, params);
            case "cron" -> validateCron(text, params);
            default -> throw new IllegalStateException(kindName);
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

    /** Fills the default (events=put) and checks the bucket name and event names. */
    private static void validateS3(String text, Map<String, String> params) {
        String bucket = params.get("bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "': bucket '"
                            + bucket
                            + "' is not a valid S3 bucket name (3-63 of a-z, 0-9, '.', '-')");
        }
        String events = params.getOrDefault("events", "put").toLowerCase(java.util.Locale.ROOT);
        for (String e : events.split("\\|")) {
            if (!S3_EVENTS.containsKey(e)) {
                throw new InvalidSpecException(
                        "trigger '"
                                + text
                                + "': events '"
                                + e
                                + "' is not one of put, delete; separate both with |, e.g."
                                + " events=put|delete");
            }
        }
        params.put("events", events);
    }

    /** Fills the defaults (qos=1, device = level of the first +) and checks the filter. */
    private static void validateMqtt(String text, Map<String, String> params) {
        String filter = params.get("topic");
        String problem = MqttTopicFilter.problem(filter);
        if (problem != null) {
            throw new InvalidSpecException("trigger '" + text + "': " + problem);
        }
        String qos = params.getOrDefault("qos", "1");
        if (!qos.equals("0") && !qos.equals("1") && !qos.equals("2")) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "': qos must be 0, 1 or 2 (at most, at least, exactly once)");
        }
        params.put("qos", qos);
        String[] levels = filter.split("/", -1);
        String device = params.get("device");
        if (device == null) {
            int plus = java.util.Arrays.asList(levels).indexOf("+");
            if (plus >= 0) {
                params.put("device", String.valueOf(plus));
            }
        } else {
            int level;
            try {
                level = Integer.parseInt(device);
            } catch (NumberFormatException e) {
                level = -1;
            }
            if (level < 0 || level >= levels.length || levels[level].equals("#")) {
                throw new InvalidSpecException(
                        "trigger '"
                                + text
                                + "': device="
                                + device
                                + " must be the 0-based index of a level of "
                                + filter
                                + " (0.."
                                + (levels.length - 1)
                                + "), e.g. device=1 for devices/+/logs");
            }
        }
    }

    /** Fills the defaults (tz=UTC, catchup=latest) and checks the expression and the zone. */
    private static void validateCron(String text, Map<String, String> params) {
        try {
            CronExpressions.parse(params.get("expr"));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("trigger '" + text + "': " + e.getMessage());
        }
        String tz = params.getOrDefault("tz", "UTC");
        try {
            java.time.ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "': tz '"
                            + tz
                            + "' is not a time zone; use a region id such as Europe/Berlin,"
                            + " Asia/Shanghai or UTC");
        }
        params.put("tz", tz);
        String catchup = params.getOrDefault("catchup", "latest");
        if (!CRON_CATCHUP.contains(catchup)) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "': catchup must be all (every missed tick), latest (one) or none");
        }
        params.put("catchup", catchup);
    }

    private static void validateAddressing(String text, Map<String, String> params) {
        String alias = params.get("alias");
        String version = params.get("version");
        if (alias != null && version != null) {
            throw new InvalidSpecException(
                    "trigger '"
                            + text
                            + "' names both an alias and a version; keep one (alias=prod or version=3)");
        }
        if (alias != null) {
            FunctionSpecRules.alias(alias);
        }
        if (version != null) {
            FunctionAddress.parse("f:" + version);
            if (!FunctionAddress.isVersion(version)) {
                throw new InvalidSpecException(
                        "trigger '"
                                + text
                                + "': version="
                                + version
                                + " is not a version number; name an alias with alias="
                                + version);
            }
        }
    }

    private static Set<String> union(Kind kind) {
        Set<String> all = new java.util.TreeSet<>(kind.required());
        all.addAll(kind.optional());
        all.addAll(ADDRESSING);
        return all;
    }

    private TriggerSpecs() {}
}
