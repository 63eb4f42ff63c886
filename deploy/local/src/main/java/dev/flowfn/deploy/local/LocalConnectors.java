package dev.flowfn.deploy.local;

import dev.flowfn.connectors.KafkaClientSetting;
import dev.flowfn.deploy.local.engines.ConnectWorkerProcess.Connector;
import dev.flowfn.kafka.KafkaClientConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that says which connectors {@code flowfn local} runs in its Connect worker, and
 * with which settings: the MQTT source always (against the embedded broker or {@code --mqtt URL});
 * the timer source always (timer stream); the S3 listen/polling sources only when configured (S3
 * stream).
 *
 * <p>Secrets never appear in a config: a connector names them as {@code ${env:NAME}} and {@link
 * #secrets} hands their values to the worker's environment.
 */
final class LocalConnectors {

    static final String MQTT = "flowfn-mqtt";

    static final String TIMER = "flowfn-timer";

    static final String MQTT_CLASS = "dev.flowfn.connectors.mqtt.MqttSourceConnector";

    static final String TIMER_CLASS = "dev.flowfn.connectors.timer.TimerSourceConnector";

    /** The MQTT broker's credentials, for an external broker that wants them. */
    static final String MQTT_USERNAME_ENV = "FLOWFN_MQTT_USERNAME";

    static final String MQTT_PASSWORD_ENV = "FLOWFN_MQTT_PASSWORD";

    /** The external store's secret key (as for {@code --s3-endpoint}), for the S3 sources. */
    static final String S3_SECRET_ENV = "FLOWFN_S3_SECRET_KEY";

    /**
     * The Kafka client properties of the connectors' own clients ({@code flowfn.kafka.properties}).
     */
    static final String KAFKA_PROPERTIES_ENV = "FLOWFN_KAFKA_CLIENT_PROPERTIES";

    private LocalConnectors() {}

    /**
     * The connectors to run against {@code kafka}, MQTT at {@code mqttUrl}; the MQTT client keeps
     * its session state under {@code mqttState} (a folder that survives restarts).
     */
    static List<Connector> declared(
            KafkaClientConfig kafka, String mqttUrl, Path mqttState, Map<String, String> env) {
        List<Connector> connectors = new ArrayList<>();
        connectors.add(mqtt(kafka, mqttUrl, mqttState, env));
        connectors.add(timer(kafka));
        return connectors;
    }

    /**
     * The MQTT connector, and one S3 source per pulled S3 source configured ({@code
     * --s3-listen-bucket}, {@code --s3-poll}) against the external store at {@code s3Endpoint}.
     */
    static List<Connector> declared(
            KafkaClientConfig kafka,
            String mqttUrl,
            Path mqttState,
            Map<String, String> env,
            S3PulledSources s3,
            String s3Endpoint,
            String s3AccessKey) {
        List<Connector> connectors = declared(kafka, mqttUrl, mqttState, env);
        connectors.addAll(s3Sources(s3, s3Endpoint, s3AccessKey));
        return connectors;
    }

    /** One S3 source connector per bucket (prefix) to listen to or poll. */
    static List<Connector> s3Sources(S3PulledSources s3, String s3Endpoint, String s3AccessKey) {
        List<Connector> connectors = new java.util.ArrayList<>();
        for (S3PulledSources.Location l : s3.listen()) {
            connectors.add(
                    s3(
                            "flowfn-s3-listen-" + l.slug(),
                            "MinioListenSourceConnector",
                            l,
                            s3Endpoint,
                            s3AccessKey));
        }
        for (S3PulledSources.Location l : s3.poll()) {
            connectors.add(
                    s3(
                            "flowfn-s3-poll-" + l.slug(),
                            "S3PollSourceConnector",
                            l,
                            s3Endpoint,
                            s3AccessKey));
        }
        return connectors;
    }

    static Connector s3(
            String name,
            String connectorClass,
            S3PulledSources.Location location,
            String endpoint,
            String accessKey) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "dev.flowfn.connectors.s3." + connectorClass);
        c.put("tasks.max", "1");
        c.put("s3.endpoint", endpoint);
        c.put("s3.access.key", accessKey);
        c.put("s3.secret.key", "${env:" + S3_SECRET_ENV + "}");
        c.put("s3.bucket", location.bucket());
        c.put("s3.prefix", location.prefix());
        c.put("topic", dev.flowfn.schemas.Topics.EVENTS);
        return new Connector(name, c);
    }

    /** The environment the worker needs: the secrets present in {@code env} that configs name. */
    static Map<String, String> secrets(Map<String, String> env) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String name : List.of(MQTT_USERNAME_ENV, MQTT_PASSWORD_ENV, S3_SECRET_ENV)) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                secrets.put(name, value);
            }
        }
        return secrets;
    }

    /**
     * The environment the worker needs for the connectors' Kafka client properties: they travel as
     * {@code ${env:...}}, so neither the connector configs nor the worker's REST API show them.
     */
    static Map<String, String> kafkaSecrets(KafkaClientConfig kafka) {
        if (kafka.extraProperties("").isEmpty()) {
            return Map.of();
        }
        return Map.of(KAFKA_PROPERTIES_ENV, KafkaClientSetting.encode(kafka));
    }

    private static void putKafka(Map<String, String> c, KafkaClientConfig kafka) {
        c.put("flowfn.bootstrap.servers", kafka.bootstrapServers());
        if (!kafka.extraProperties("").isEmpty()) {
            c.put(KafkaClientSetting.KEY, "${env:" + KAFKA_PROPERTIES_ENV + "}");
        }
    }

    static Connector mqtt(
            KafkaClientConfig kafka, String mqttUrl, Path stateDir, Map<String, String> env) {
        return mqtt(kafka, mqttUrl, "flowfn-local-mqtt", stateDir, env);
    }

    /**
     * The MQTT connector as client {@code clientId}; its session state under {@code stateDir}, or
     * the worker's default folder when null.
     */
    static Connector mqtt(
            KafkaClientConfig kafka,
            String mqttUrl,
            String clientId,
            Path stateDir,
            Map<String, String> env) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", MQTT_CLASS);
        c.put("tasks.max", "1");
        c.put("mqtt.server.uri", mqttUrl);
        c.put("mqtt.client.id", clientId);
        putKafka(c, kafka);
        c.put("mqtt.raw.topic", "mqtt.raw");
        if (stateDir != null) {
            c.put("mqtt.state.dir", stateDir.toAbsolutePath().toString());
        }
        if (env.containsKey(MQTT_USERNAME_ENV)) {
            c.put("mqtt.username", "${env:" + MQTT_USERNAME_ENV + "}");
        }
        if (env.containsKey(MQTT_PASSWORD_ENV)) {
            c.put("mqtt.password", "${env:" + MQTT_PASSWORD_ENV + "}");
        }
        // Connect creates the raw topic on first use
        c.put("topic.creation.default.replication.factor", "-1");
        c.put("topic.creation.default.partitions", Integer.toString(TopicSetup.PARTITIONS));
        return new Connector(MQTT, c);
    }

    /**
     * Cron triggers: one task follows the registry and writes a timer.tick per scheduled instant to
     * flowfn.events; its source offsets (the last instant fired per function and trigger) live in
     * the worker's offsets file, so a restart catches up per each trigger's policy.
     */
    static Connector timer(KafkaClientConfig kafka) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", TIMER_CLASS);
        c.put("tasks.max", "1");
        putKafka(c, kafka);
        return new Connector(TIMER, c);
    }
}
