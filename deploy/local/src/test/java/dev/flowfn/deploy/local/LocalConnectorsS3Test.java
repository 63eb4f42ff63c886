package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.local.engines.ConnectWorkerProcess.Connector;
import dev.flowfn.kafka.KafkaClientConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalConnectorsS3Test {

    private static final Map<String, String> ENV =
            Map.of(LocalConnectors.S3_SECRET_ENV, "the-secret-value");

    @Test
    void noS3SourcesUnlessConfigured() {
        List<Connector> connectors =
                LocalConnectors.declared(
                        KafkaClientConfig.of("127.0.0.1:9092"),
                        "tcp://127.0.0.1:1883",
                        java.nio.file.Path.of("mqtt-state"),
                        ENV,
                        S3PulledSources.NONE,
                        "http://minio:9000",
                        "ak");
        assertThat(connectors).extracting(Connector::name).noneMatch(n -> n.contains("s3"));
    }

    @Test
    void listenAndPollSourcesNameTheSecretOnlyByReference() {
        S3PulledSources s3 =
                new S3PulledSources(
                        List.of(S3PulledSources.Location.parse("--s3-listen-bucket", "photos")),
                        List.of(S3PulledSources.Location.parse("--s3-poll", "archive/in/2026/")));
        List<Connector> connectors =
                LocalConnectors.declared(
                        KafkaClientConfig.of("127.0.0.1:9092"),
                        "tcp://127.0.0.1:1883",
                        java.nio.file.Path.of("mqtt-state"),
                        ENV,
                        s3,
                        "http://minio:9000",
                        "ak");

        Connector listen = byName(connectors, "flowfn-s3-listen-photos");
        assertThat(listen.config())
                .containsEntry(
                        "connector.class", "dev.flowfn.connectors.s3.MinioListenSourceConnector")
                .containsEntry("s3.endpoint", "http://minio:9000")
                .containsEntry("s3.access.key", "ak")
                .containsEntry("s3.bucket", "photos")
                .containsEntry("s3.prefix", "")
                .containsEntry("s3.secret.key", "${env:FLOWFN_S3_SECRET_KEY}")
                .containsEntry("topic", "flowfn.events");
        Connector poll = byName(connectors, "flowfn-s3-poll-archive-in-2026");
        assertThat(poll.config())
                .containsEntry("connector.class", "dev.flowfn.connectors.s3.S3PollSourceConnector")
                .containsEntry("s3.bucket", "archive")
                .containsEntry("s3.prefix", "in/2026/");
        assertThat(connectors)
                .allSatisfy(
                        c -> assertThat(c.config().values()).doesNotContain("the-secret-value"));
        assertThat(LocalConnectors.secrets(ENV))
                .containsEntry(LocalConnectors.S3_SECRET_ENV, "the-secret-value");
    }

    @Test
    void aBadLocationNamesTheOptionAndTheForm() {
        assertThatThrownBy(() -> S3PulledSources.Location.parse("--s3-poll", "Photos/x"))
                .hasMessageContaining("--s3-poll 'Photos/x' must be BUCKET or BUCKET/PREFIX");
        assertThatThrownBy(() -> S3PulledSources.Location.parse("--s3-poll", ""))
                .hasMessageContaining("must be BUCKET or BUCKET/PREFIX");
    }

    private static Connector byName(List<Connector> connectors, String name) {
        return connectors.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not among " + connectors));
    }
}
