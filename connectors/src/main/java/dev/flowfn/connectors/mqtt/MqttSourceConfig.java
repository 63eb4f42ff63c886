package dev.flowfn.connectors.mqtt;

import dev.flowfn.connectors.KafkaClientSetting;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.contract.EventSources;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Every setting of the MQTT source connector, declared once with its type, default, validator and
 * description. Passwords are {@link Type#PASSWORD}: Connect masks them in logs and its REST API;
 * pass them as {@code ${env:NAME}} (EnvVarConfigProvider) to keep them out of config files.
 */
public final class MqttSourceConfig extends AbstractConfig {

    public static final String SERVER_URI = "mqtt.server.uri";
    public static final String VERSION = "mqtt.version";
    public static final String CLIENT_ID = "mqtt.client.id";
    public static final String USERNAME = "mqtt.username";
    public static final String PASSWORD = "mqtt.password";
    public static final String TRUSTSTORE_PATH = "mqtt.tls.truststore.path";
    public static final String TRUSTSTORE_PASSWORD = "mqtt.tls.truststore.password";
    public static final String KEYSTORE_PATH = "mqtt.tls.keystore.path";
    public static final String KEYSTORE_PASSWORD = "mqtt.tls.keystore.password";
    public static final String SESSION_EXPIRY = "mqtt.session.expiry.seconds";
    public static final String RECEIVE_MAXIMUM = "mqtt.receive.maximum";
    public static final String TOPICS = "mqtt.topics";
    public static final String TOPICS_QOS = "mqtt.topics.qos";
    public static final String MAX_PAYLOAD = "mqtt.max.payload.bytes";
    public static final String QUEUE_CAPACITY = "mqtt.queue.capacity";
    public static final String STATE_DIR = "mqtt.state.dir";
    public static final String BOOTSTRAP = "flowfn.bootstrap.servers";
    public static final String EVENTS_TOPIC = "flowfn.events.topic";
    public static final String RAW_TOPIC = "mqtt.raw.topic";
    public static final String DLQ_TOPIC = "flowfn.dlq.topic";

    /** The raw topic (the "loghub"): every message's payload, key = device id. */
    public static final String DEFAULT_RAW_TOPIC = "mqtt.raw";

    public static final ConfigDef CONFIG =
            KafkaClientSetting.define(new ConfigDef(), BOOTSTRAP)
                    .define(
                            SERVER_URI,
                            Type.STRING,
                            ConfigDef.NO_DEFAULT_VALUE,
                            (name, value) -> serverUri((String) value),
                            Importance.HIGH,
                            "The broker: tcp://host:1883 (or mqtt://), ssl://host:8883 (or mqtts://)"
                                    + " for TLS.")
                    .define(
                            VERSION,
                            Type.STRING,
                            "3.1.1",
                            ConfigDef.ValidString.in("3.1.1", "5"),
                            Importance.MEDIUM,
                            "MQTT protocol version: 3.1.1 or 5.")
                    .define(
                            CLIENT_ID,
                            Type.STRING,
                            "flowfn-mqtt-connector",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "Fixed client id of the persistent session: the broker keeps the"
                                    + " subscriptions and queues messages for it while the"
                                    + " connector is down. One connector per id.")
                    .define(USERNAME, Type.STRING, null, Importance.MEDIUM, "MQTT user name.")
                    .define(
                            PASSWORD,
                            Type.PASSWORD,
                            null,
                            Importance.MEDIUM,
                            "MQTT password (with " + USERNAME + "); never logged.")
                    .define(
                            TRUSTSTORE_PATH,
                            Type.STRING,
                            null,
                            Importance.MEDIUM,
                            "PKCS12 or JKS trust store for ssl:// (default: the JVM's CAs).")
                    .define(
                            TRUSTSTORE_PASSWORD,
                            Type.PASSWORD,
                            null,
                            Importance.LOW,
                            "Password of the trust store.")
                    .define(
                            KEYSTORE_PATH,
                            Type.STRING,
                            null,
                            Importance.LOW,
                            "PKCS12 or JKS key store with a client certificate, for brokers that"
                                    + " authenticate clients by certificate.")
                    .define(
                            KEYSTORE_PASSWORD,
                            Type.PASSWORD,
                            null,
                            Importance.LOW,
                            "Password of the key store and its key.")
                    .define(
                            SESSION_EXPIRY,
                            Type.LONG,
                            7L * 24 * 3600,
                            ConfigDef.Range.between(1, 4294967295L),
                            Importance.LOW,
                            "MQTT 5: how long the broker keeps the session after a disconnect.")
                    .define(
                            RECEIVE_MAXIMUM,
                            Type.INT,
                            1000,
                            ConfigDef.Range.between(1, 65535),
                            Importance.LOW,
                            "MQTT 5: how many QoS 1/2 messages the broker may have unacknowledged"
                                    + " with us (MQTT 3.1.1 brokers set this themselves, e.g."
                                    + " mosquitto's max_inflight_messages).")
                    .define(
                            TOPICS,
                            Type.LIST,
                            "",
                            Importance.MEDIUM,
                            "Filters subscribed to besides the deployed mqtt: triggers (e.g. to"
                                    + " keep every device's messages on the raw topic).")
                    .define(
                            TOPICS_QOS,
                            Type.INT,
                            1,
                            ConfigDef.Range.between(0, 2),
                            Importance.LOW,
                            "QoS of the " + TOPICS + " subscriptions.")
                    .define(
                            MAX_PAYLOAD,
                            Type.INT,
                            1_000_000,
                            ConfigDef.Range.atLeast(1),
                            Importance.MEDIUM,
                            "Larger payloads become dead letters on the DLQ topic (with the"
                                    + " topic, device and size, without the payload). Raise it"
                                    + " together with the worker's producer.max.request.size and"
                                    + " the topics' max.message.bytes.")
                    .define(
                            QUEUE_CAPACITY,
                            Type.INT,
                            10_000,
                            ConfigDef.Range.atLeast(1),
                            Importance.LOW,
                            "Messages received and not yet acknowledged (waiting for Kafka); when"
                                    + " full the MQTT client stops reading and the broker holds the"
                                    + " rest. A crash makes the broker deliver again what was written"
                                    + " to Kafka and not yet acknowledged: these, plus acknowledgements"
                                    + " still on their way to the broker.")
                    .define(
                            STATE_DIR,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "Folder of the client's own session state (MQTT 3.1.1: inbound QoS 2"
                                    + " messages between PUBREC and PUBCOMP, and their event ids),"
                                    + " one subfolder per client id and broker. Must survive"
                                    + " restarts for a QoS 2 message to come back with its first"
                                    + " id after a crash. Empty: java.io.tmpdir/flowfn-mqtt.")
                    .define(
                            BOOTSTRAP,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Kafka bootstrap servers to follow flowfn.functions from (the"
                                    + " deployed mqtt: triggers). Empty: only "
                                    + TOPICS
                                    + ".")
                    .define(
                            EVENTS_TOPIC,
                            Type.STRING,
                            "flowfn.events",
                            new ConfigDef.NonEmptyString(),
                            Importance.LOW,
                            "Where Events (Avro) go.")
                    .define(
                            RAW_TOPIC,
                            Type.STRING,
                            DEFAULT_RAW_TOPIC,
                            Importance.MEDIUM,
                            "The raw topic: every message's payload as is, key = device id,"
                                    + " headers mqtt.topic, mqtt.qos, flowfn.event.id. Empty: off.")
                    .define(
                            DLQ_TOPIC,
                            Type.STRING,
                            "flowfn.dlq",
                            new ConfigDef.NonEmptyString(),
                            Importance.LOW,
                            "Where messages that cannot become events go, as DeadLetters.");

    public MqttSourceConfig(Map<String, String> props) {
        super(CONFIG, props);
    }

    public URI serverUri() {
        return serverUri(getString(SERVER_URI));
    }

    public boolean tls() {
        String scheme = serverUri().getScheme();
        return scheme.equals("ssl") || scheme.equals("mqtts");
    }

    /** {@code mqtt://host:port}: the Event's source. */
    public String source() {
        URI uri = serverUri();
        return EventSources.mqtt(uri.getHost(), uri.getPort());
    }

    public boolean mqtt5() {
        return getString(VERSION).equals("5");
    }

    public String password() {
        Password p = getPassword(PASSWORD);
        return p == null ? null : p.value();
    }

    /** This client's state folder: {@code <mqtt.state.dir>/<client id>@<host>_<port>}. */
    public Path stateDir() {
        String base = getString(STATE_DIR);
        Path root =
                base.isBlank()
                        ? Path.of(System.getProperty("java.io.tmpdir"), "flowfn-mqtt")
                        : Path.of(base);
        URI uri = serverUri();
        String name = getString(CLIENT_ID) + "@" + uri.getHost() + "_" + uri.getPort();
        return root.resolve(name.replaceAll("[^A-Za-z0-9._@-]", "_"));
    }

    /** How to reach the brokers of {@link #BOOTSTRAP} (set: it is not blank). */
    public KafkaClientConfig kafka() {
        return KafkaClientSetting.clientConfig(
                getString(BOOTSTRAP), getPassword(KafkaClientSetting.KEY));
    }

    public List<TopicFilter> configuredFilters() {
        List<TopicFilter> filters = new ArrayList<>();
        for (String f : getList(TOPICS)) {
            if (!f.isBlank()) {
                filters.add(TopicFilter.of(f.strip(), getInt(TOPICS_QOS)));
            }
        }
        return filters;
    }

    static URI serverUri(String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(SERVER_URI, value, "set it to tcp://HOST:PORT");
        }
        URI uri;
        try {
            uri = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SERVER_URI, value, "not a URI; write tcp://HOST:PORT");
        }
        if (uri.getScheme() == null
                || !List.of("tcp", "mqtt", "ssl", "mqtts").contains(uri.getScheme())
                || uri.getHost() == null
                || uri.getPort() < 0) {
            throw new ConfigException(
                    SERVER_URI,
                    value,
                    "write tcp://HOST:PORT (or mqtt://), or ssl://HOST:PORT (mqtts://) for TLS,"
                            + " with an explicit port");
        }
        return uri;
    }
}
