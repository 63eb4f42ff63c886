package dev.flowfn.connectors;

import dev.flowfn.kafka.KafkaClientConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The connectors' setting for the Kafka clients they build themselves (the registry follower):
 * {@value #KEY}, client properties in Java properties syntax, one per line ({@code
 * security.protocol=SASL_SSL}, {@code sasl.jaas.config=...}). It is a password setting, so Connect
 * hides it in its logs; the bootstrap servers have a setting of their own.
 */
public final class KafkaClientSetting {

    public static final String KEY = "flowfn.kafka.properties";

    private KafkaClientSetting() {}

    /** Adds {@value #KEY} to a connector's settings. */
    public static ConfigDef define(ConfigDef def, String bootstrapKey) {
        return def.define(
                KEY,
                Type.PASSWORD,
                new Password(""),
                (name, value) -> parse(name, value == null ? "" : ((Password) value).value()),
                Importance.MEDIUM,
                "Kafka client properties for reaching the brokers of "
                        + bootstrapKey
                        + " (SASL, TLS...), in Java properties syntax, one per line, e.g."
                        + " 'security.protocol=SASL_SSL'. Hidden in logs. Empty: plaintext.");
    }

    /** The client configuration: the bootstrap servers plus the properties of {@value #KEY}. */
    public static KafkaClientConfig clientConfig(String bootstrap, Password properties) {
        return KafkaClientConfig.of(bootstrap)
                .withProperties(parse(KEY, properties == null ? "" : properties.value()));
    }

    /** The value of {@value #KEY} that carries the client properties of {@code kafka}. */
    public static String encode(KafkaClientConfig kafka) {
        Properties p = new Properties();
        p.putAll(kafka.extraProperties(""));
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Map<String, String> parse(String name, String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(name, "[hidden]", "is not in Java properties syntax: " + e);
        }
        if (p.containsKey(KafkaClientConfig.BOOTSTRAP_SERVERS)) {
            throw new ConfigException(
                    name,
                    "[hidden]",
                    "must not hold bootstrap.servers: the connector has a setting of its own for"
                            + " it");
        }
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
