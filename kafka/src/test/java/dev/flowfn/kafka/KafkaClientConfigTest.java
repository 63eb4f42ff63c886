package dev.flowfn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"alice\" password=\"s3cr3t-jaas\";";

    @Test
    void ofCarriesTheBootstrapServersAlone() {
        KafkaClientConfig config = KafkaClientConfig.of("broker:9092");

        assertThat(config.bootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.properties()).containsOnly(Map.entry("bootstrap.servers", "broker:9092"));
        assertThat(config.extraProperties("producer.")).isEmpty();
    }

    @Test
    void ofRejectsABlankBootstrap() {
        assertThatThrownBy(() -> KafkaClientConfig.of(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap servers");
    }

    @Test
    void fromPropertiesNeedsTheBootstrapServers() {
        assertThatThrownBy(
                        () -> KafkaClientConfig.fromProperties(Map.of("security.protocol", "SSL")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap.servers is missing");
    }

    @Test
    void fromPropertiesTakesJavaProperties() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "a:9092,b:9092");
        p.setProperty("security.protocol", "SASL_SSL");

        KafkaClientConfig config = KafkaClientConfig.fromProperties(p);

        assertThat(config.bootstrapServers()).isEqualTo("a:9092,b:9092");
        assertThat(config.properties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void clientPropertiesMergeTheCommonOnesWithTheCallersWhichWin() {
        KafkaClientConfig config =
                KafkaClientConfig.of("broker:9092")
                        .withProperty("security.protocol", "SASL_SSL")
                        .withProperty("acks", "1");

        Map<String, Object> producer = config.producerProperties(Map.of("acks", "all"));
        Map<String, Object> consumer =
                config.consumerProperties(Map.of("isolation.level", "read_committed"));
        Map<String, Object> admin = config.adminProperties();

        assertThat(producer)
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("acks", "all");
        assertThat(consumer)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("isolation.level", "read_committed");
        assertThat(admin)
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.consumerProperties()).containsEntry("acks", "1");
    }

    @Test
    void withPropertyLeavesTheOriginalAlone() {
        KafkaClientConfig plain = KafkaClientConfig.of("broker:9092");
        KafkaClientConfig secure = plain.withProperty("security.protocol", "SSL");

        assertThat(plain.properties()).doesNotContainKey("security.protocol");
        assertThat(secure.properties()).containsEntry("security.protocol", "SSL");
        assertThat(secure).isNotEqualTo(plain);
        assertThat(plain.withProperty("security.protocol", "SSL")).isEqualTo(secure);
    }

    @Test
    void extraPropertiesArePrefixedAndLeaveTheBootstrapOut() {
        KafkaClientConfig config =
                KafkaClientConfig.of("broker:9092")
                        .withProperties(
                                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"));

        assertThat(config.extraProperties("producer."))
                .containsOnly(
                        Map.entry("producer.security.protocol", "SASL_SSL"),
                        Map.entry("producer.sasl.mechanism", "PLAIN"));
    }

    @Test
    void loadReadsAPropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                "bootstrap.servers=broker:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");

        KafkaClientConfig config = KafkaClientConfig.load(file);

        assertThat(config.bootstrapServers()).isEqualTo("broker:9093");
        assertThat(config.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void loadNamesTheFileWithoutBootstrapServers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\n");

        assertThatThrownBy(() -> KafkaClientConfig.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void loadNamesAFileItCannotRead(@TempDir Path dir) {
        Path file = dir.resolve("missing.properties");

        assertThatThrownBy(() -> KafkaClientConfig.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void toStringRedactsEverySecret() {
        KafkaClientConfig config =
                KafkaClientConfig.of("broker:9092")
                        .withProperty("security.protocol", "SASL_SSL")
                        .withProperty("sasl.jaas.config", JAAS)
                        .withProperty("ssl.truststore.password", "trust-pw")
                        .withProperty("ssl.keystore.password", "key-pw")
                        .withProperty("ssl.key.password", "pk-pw")
                        .withProperty("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----")
                        .withProperty("sasl.oauthbearer.token.endpoint.url", "https://idp/t")
                        .withProperty("sasl.client.callback.handler.secret", "client-secret")
                        .withProperty("x.credentials.file", "/etc/creds")
                        .withProperty("SASL.JAAS.CONFIG.OTHER", "UPPER-SECRET");

        String printed = config.toString();

        assertThat(printed)
                .contains("bootstrap.servers=broker:9092")
                .contains("security.protocol=SASL_SSL")
                .contains("sasl.jaas.config=[redacted]")
                .doesNotContain("s3cr3t-jaas")
                .doesNotContain("alice")
                .doesNotContain("trust-pw")
                .doesNotContain("key-pw")
                .doesNotContain("pk-pw")
                .doesNotContain("PRIVATE KEY")
                .doesNotContain("https://idp/t")
                .doesNotContain("client-secret")
                .doesNotContain("/etc/creds")
                .doesNotContain("UPPER-SECRET");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        KafkaClientConfig config =
                KafkaClientConfig.of("broker:9092").withProperty("security.protocol", "SSL");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(config);
        }
    }
}
