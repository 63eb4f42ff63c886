package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.local.engines.ConnectWorkerProcess.Connector;
import dev.flowfn.kafka.KafkaClientConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterConnectorsTest {

    private static final KafkaClientConfig KAFKA = KafkaClientConfig.of("kafka:9092");

    private static Map<String, Connector> byName(List<Connector> connectors) {
        return connectors.stream().collect(Collectors.toMap(Connector::name, c -> c));
    }

    @Test
    void theTimerAloneByDefault() {
        assertThat(byName(ClusterConnectors.declared(KAFKA, null)))
                .containsOnlyKeys("flowfn-timer");
    }

    @Test
    void anMqttLoginIsNamedFromTheWorkersEnvironmentNeverGiven() {
        Map<String, String> mqtt =
                byName(
                                ClusterConnectors.declared(
                                        KAFKA,
                                        "ssl://mqtt:8883",
                                        true,
                                        S3PulledSources.NONE,
                                        null,
                                        null))
                        .get("flowfn-mqtt")
                        .config();
        assertThat(mqtt)
                .containsEntry("mqtt.username", "${env:FLOWFN_MQTT_USERNAME}")
                .containsEntry("mqtt.password", "${env:FLOWFN_MQTT_PASSWORD}");
        Map<String, String> anonymous =
                byName(ClusterConnectors.declared(KAFKA, "tcp://mqtt:1883"))
                        .get("flowfn-mqtt")
                        .config();
        assertThat(anonymous).doesNotContainKeys("mqtt.username", "mqtt.password");
    }

    @Test
    void oneS3SourcePerBucketWithTheSecretFromTheWorkersEnvironment() {
        S3PulledSources sources =
                new S3PulledSources(
                        List.of(S3PulledSources.Location.parse("--s3-listen-bucket", "photos/up")),
                        List.of(S3PulledSources.Location.parse("--s3-poll", "archive")));
        Map<String, Connector> connectors =
                byName(
                        ClusterConnectors.declared(
                                KAFKA, null, false, sources, "http://minio:9000", "AKIA"));
        assertThat(connectors)
                .containsOnlyKeys(
                        "flowfn-timer", "flowfn-s3-listen-photos-up", "flowfn-s3-poll-archive");
        assertThat(connectors.get("flowfn-s3-poll-archive").config())
                .containsEntry("s3.endpoint", "http://minio:9000")
                .containsEntry("s3.access.key", "AKIA")
                .containsEntry("s3.secret.key", "${env:FLOWFN_S3_SECRET_KEY}")
                .containsEntry("s3.bucket", "archive");
    }
}
