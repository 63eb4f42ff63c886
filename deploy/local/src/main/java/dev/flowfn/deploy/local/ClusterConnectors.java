package dev.flowfn.deploy.local;

import dev.flowfn.deploy.local.engines.ConnectWorkerProcess.Connector;
import dev.flowfn.kafka.KafkaClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trigger connectors Flowfn runs on a Kafka Connect cluster of its own ({@code flowfn
 * connectors deploy}): the timer source always, the MQTT source when a broker is given. The same
 * settings as {@code flowfn local}'s worker ({@link LocalConnectors}), but nothing of this machine:
 * the MQTT client keeps its session in the worker's default folder.
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
     */
    public static List<Connector> declared(KafkaClientConfig kafka, String mqttUrl) {
        List<Connector> connectors = new ArrayList<>();
        connectors.add(LocalConnectors.timer(kafka));
        if (mqttUrl != null) {
            connectors.add(LocalConnectors.mqtt(kafka, mqttUrl, "flowfn-mqtt", null, Map.of()));
        }
        return connectors;
    }

    /** Whether the workers need {@value #KAFKA_PROPERTIES_ENV} for these connectors. */
    public static boolean needsKafkaProperties(KafkaClientConfig kafka) {
        return !kafka.extraProperties("").isEmpty();
    }
}
