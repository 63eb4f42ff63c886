package dev.flowfn.deploy.local;

import dev.flowfn.deploy.local.engines.ConnectWorkerProcess.Connector;
import dev.flowfn.kafka.KafkaClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trigger connectors Flowfn runs on a Kafka Connect cluster of its own ({@code flowfn
 * connectors deploy}): the timer source always, the MQTT source when a broker is given, an S3
 * source per bucket to listen to or poll. The same settings as {@code flowfn local}'s worker
 * ({@link LocalConnectors}), but nothing of this machine: the MQTT client keeps its session in the
 * worker's default folder.
 *
 * <p>Secrets never travel in a config (a distributed cluster keeps configs in its config topic and
 * shows them on its REST API): the connectors' Kafka client properties are named as {@code
 * ${env:}}{@value #KAFKA_PROPERTIES_ENV}, which every worker must have, with Connect's {@code
 * EnvVarConfigProvider} enabled.
 */
public final class ClusterConnectors {

    /** The environment variable the workers need when the Kafka clients need properties. */
    public static final String KAFKA_PROPERTIES_ENV = LocalConnectors.KAFKA_PROPERTIES_ENV;

    public static final String TIMER_CLASS = LocalConnectors.TIMER_CLASS;

    public static final String MQTT_CLASS = LocalConnectors.MQTT_CLASS;

    private ClusterConnectors() {}

    /**
     * @param mqttUrl the MQTT broker ({@code tcp://HOST:PORT}, {@code ssl://HOST:PORT}), or null
     *     for no MQTT source
     * @param mqttLogin whether the broker needs a login, which the workers have in their
     *     environment
     * @param s3 the S3 sources to pull from the store at {@code s3Endpoint} with {@code
     *     s3AccessKey} (the workers have the secret key in their environment)
     */
    public static List<Connector> declared(
            KafkaClientConfig kafka,
            String mqttUrl,
            boolean mqttLogin,
            S3PulledSources s3,
            String s3Endpoint,
            String s3AccessKey) {
        List<Connector> connectors = new ArrayList<>();
        connectors.add(LocalConnectors.timer(kafka));
        if (mqttUrl != null) {
            Map<String, String> login =
                    mqttLogin
                            ? Map.of(
                                    LocalConnectors.MQTT_USERNAME_ENV, "",
                                    LocalConnectors.MQTT_PASSWORD_ENV, "")
                            : Map.of();
            connectors.add(LocalConnectors.mqtt(kafka, mqttUrl, "flowfn-mqtt", null, login));
        }
        connectors.addAll(LocalConnectors.s3Sources(s3, s3Endpoint, s3AccessKey));
        return connectors;
    }

    /** The timer source, and the MQTT source when {@code mqttUrl} is given (no login). */
    public static List<Connector> declared(KafkaClientConfig kafka, String mqttUrl) {
        return declared(kafka, mqttUrl, false, S3PulledSources.NONE, null, null);
    }

    /** Whether the workers need {@value #KAFKA_PROPERTIES_ENV} for these connectors. */
    public static boolean needsKafkaProperties(KafkaClientConfig kafka) {
        return !kafka.extraProperties("").isEmpty();
    }
}
