package dev.flowfn.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How every Flowfn component reaches Kafka: the bootstrap servers plus any client property the
 * cluster needs (SASL, TLS, a client.id...). Producers, consumers and admin clients all start from
 * {@link #producerProperties}, {@link #consumerProperties} or {@link #adminProperties}, so a
 * cluster that needs SASL or TLS is reachable by all of them once the configuration says so.
 *
 * <p>An immutable value, serializable (a Flink function may carry it). {@link #toString} leaves
 * secrets out.
 */
public final class KafkaClientConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String BOOTSTRAP_SERVERS = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;

    /** Parts of a key whose value is a secret; {@link #toString} prints none of them. */
    private static final String[] SECRET_KEY_PARTS = {
        "password", "jaas", "secret", "ssl.key", "token", "credentials"
    };

    private static final String REDACTED = "[redacted]";

    /** Every client property, bootstrap.servers included; sorted so toString is stable. */
    private final TreeMap<String, String> properties;

    private KafkaClientConfig(Map<String, String> properties) {
        this.properties = new TreeMap<>(properties);
        String bootstrap = this.properties.get(BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(
                    BOOTSTRAP_SERVERS + " is missing: a Kafka client configuration needs it");
        }
    }

    /** A plaintext cluster with no other client property. */
    public static KafkaClientConfig of(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "Kafka bootstrap servers '" + bootstrapServers + "' must be host:port[,...]");
        }
        return new KafkaClientConfig(Map.of(BOOTSTRAP_SERVERS, bootstrapServers.trim()));
    }

    /**
     * Client properties as Kafka names them, {@code bootstrap.servers} among them.
     *
     * @throws IllegalArgumentException if bootstrap.servers is missing
     */
    public static KafkaClientConfig fromProperties(Map<?, ?> properties) {
        Map<String, String> copy = new HashMap<>();
        properties.forEach(
                (k, v) -> {
                    if (v != null) {
                        copy.put(String.valueOf(k).trim(), String.valueOf(v).trim());
                    }
                });
        return new KafkaClientConfig(copy);
    }

    /** See {@link #fromProperties(Map)}. */
    public static KafkaClientConfig fromProperties(Properties properties) {
        return fromProperties((Map<?, ?>) properties);
    }

    /**
     * Reads a Java properties file holding {@code bootstrap.servers} and any other client property
     * (the file a Kafka command-line tool takes as {@code --command-config}).
     *
     * @throws IllegalArgumentException naming the file if it cannot be read or has no
     *     bootstrap.servers
     */
    public static KafkaClientConfig load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the Kafka client configuration " + file + ": " + e,
                    new UncheckedIOException(e));
        }
        String bootstrap = p.getProperty(BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(
                    "the Kafka client configuration "
                            + file
                            + " has no "
                            + BOOTSTRAP_SERVERS
                            + "; add a line such as 'bootstrap.servers=broker:9092'");
        }
        return fromProperties(p);
    }

    public String bootstrapServers() {
        return properties.get(BOOTSTRAP_SERVERS);
    }

    /** This configuration with one more (or another) client property. */
    public KafkaClientConfig withProperty(String key, String value) {
        Map<String, String> copy = new TreeMap<>(properties);
        copy.put(key, value);
        return new KafkaClientConfig(copy);
    }

    /** This configuration with these client properties added (or replaced). */
    public KafkaClientConfig withProperties(Map<String, String> more) {
        Map<String, String> copy = new TreeMap<>(properties);
        copy.putAll(more);
        return new KafkaClientConfig(copy);
    }

    /** Every common client property, bootstrap.servers included. */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    /**
     * The client properties other than bootstrap.servers, each key prefixed (e.g. {@code
     * "producer."} for a Connect worker, {@code "flowfn.kafka.properties."} for the job), so they
     * can travel through a configuration that has its own bootstrap setting.
     */
    public Map<String, String> extraProperties(String prefix) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach(
                (k, v) -> {
                    if (!k.equals(BOOTSTRAP_SERVERS)) {
                        out.put(prefix + k, v);
                    }
                });
        return out;
    }

    /** A producer's properties: the common ones, then the caller's (serializers, acks...). */
    public Map<String, Object> producerProperties(Map<String, ?> specific) {
        return merged(specific);
    }

    public Map<String, Object> producerProperties() {
        return merged(Map.of());
    }

    /** A consumer's properties: the common ones, then the caller's (isolation level...). */
    public Map<String, Object> consumerProperties(Map<String, ?> specific) {
        return merged(specific);
    }

    public Map<String, Object> consumerProperties() {
        return merged(Map.of());
    }

    /** An admin client's properties: the common ones, then the caller's. */
    public Map<String, Object> adminProperties(Map<String, ?> specific) {
        return merged(specific);
    }

    public Map<String, Object> adminProperties() {
        return merged(Map.of());
    }

    /** A map as {@link Properties}, for APIs that take nothing else (Flink's Kafka builders). */
    public static Properties asProperties(Map<String, ?> map) {
        Properties p = new Properties();
        p.putAll(map);
        return p;
    }

    // The caller's properties win: they are what its code relies on (read_committed, a
    // transactional id, its serializers); the shared ones say how to reach the cluster.
    private Map<String, Object> merged(Map<String, ?> specific) {
        Map<String, Object> out = new HashMap<>(properties);
        out.putAll(specific);
        return out;
    }

    /**
     * Whether the value of client property {@code key} is a secret (a password, a JAAS
     * configuration, a private key, a token), never to be printed or written where others read.
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String part : SECRET_KEY_PARTS) {
            if (k.contains(part)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaClientConfig other && properties.equals(other.properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }

    /** The properties with every secret's value replaced by {@code [redacted]}. */
    @Override
    public String toString() {
        return properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? REDACTED : e.getValue()))
                .collect(Collectors.joining(", ", "KafkaClientConfig{", "}"));
    }
}
