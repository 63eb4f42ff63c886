package dev.flowfn.deploy.local;

import dev.flowfn.deploy.local.engines.ConnectWorkerProcess;
import dev.flowfn.deploy.local.engines.MqttBrokerProcess;
import dev.flowfn.kafka.KafkaClientConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engines of the pulled triggers: the MQTT broker (Moquette in a child JVM, or the external one
 * given with {@code --mqtt}) and the Kafka Connect worker running the connectors {@link
 * LocalConnectors} declares. They need only Kafka, so the launcher starts them beside the job.
 */
final class LocalConnectorEngines implements AutoCloseable {

    private final MqttBrokerProcess mqttBroker; // null when external
    private final String mqttUrl;
    private final ConnectWorkerProcess connect;
    private final String brokerReport;
    private final String connectReport;

    private LocalConnectorEngines(
            MqttBrokerProcess mqttBroker,
            String mqttUrl,
            ConnectWorkerProcess connect,
            String brokerReport,
            String connectReport) {
        this.mqttBroker = mqttBroker;
        this.mqttUrl = mqttUrl;
        this.connect = connect;
        this.brokerReport = brokerReport;
        this.connectReport = connectReport;
    }

    /** Starts both; if the Connect worker fails, the broker started here is stopped again. */
    static LocalConnectorEngines start(
            LocalSettings settings, KafkaClientConfig kafka, LocalObjectStore store)
            throws Exception {
        DataDir dir = settings.dataDir();
        long t = System.nanoTime();
        MqttBrokerProcess broker = null;
        String mqttUrl = settings.externalMqtt();
        if (mqttUrl == null) {
            broker = MqttBrokerProcess.start(dir.mqtt(), dir.logs().resolve("mqtt.log"));
            mqttUrl = broker.url();
        }
        String brokerReport = broker == null ? "external, " + mqttUrl : mqttUrl + since(t);
        try {
            t = System.nanoTime();
            List<ConnectWorkerProcess.Connector> connectors =
                    LocalConnectors.declared(
                            kafka,
                            mqttUrl,
                            dir.connect().resolve("mqtt-state"),
                            System.getenv(),
                            settings.s3Sources(),
                            store.endpoint(),
                            store.credentials().accessKey());
            Map<String, String> secrets =
                    new LinkedHashMap<>(LocalConnectors.secrets(System.getenv()));
            if (!settings.s3Sources().isEmpty()) {
                // the S3 sources read the external store with the key flowfn local was given
                secrets.put(LocalConnectors.S3_SECRET_ENV, store.credentials().secretKey());
            }
            secrets.putAll(LocalConnectors.kafkaSecrets(kafka));
            ConnectWorkerProcess connect =
                    ConnectWorkerProcess.start(
                            dir.connect(),
                            kafka,
                            connectors,
                            secrets,
                            dir.logs().resolve("connect.log"));
            String connectReport =
                    connectors.stream().map(ConnectWorkerProcess.Connector::name).toList()
                            + " running, REST "
                            + connect.restUrl()
                            + since(t);
            return new LocalConnectorEngines(broker, mqttUrl, connect, brokerReport, connectReport);
        } catch (Exception | Error e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    String mqttUrl() {
        return mqttUrl;
    }

    /** Whether the MQTT broker is the one flowfn local runs. */
    boolean isLocalBroker() {
        return mqttBroker != null;
    }

    ConnectWorkerProcess connectWorker() {
        return connect;
    }

    /** What the start-up report says of the MQTT broker. */
    String brokerReport() {
        return brokerReport;
    }

    /** What the start-up report says of the Connect worker. */
    String connectReport() {
        return connectReport;
    }

    /** Stops the Connect worker, then the broker it subscribes to. */
    @Override
    public void close() {
        connect.close();
        if (mqttBroker != null) {
            mqttBroker.close();
        }
    }

    private static String since(long startNanos) {
        return String.format(" (%.1f s)", (System.nanoTime() - startNanos) / 1e9);
    }
}
