package dev.flowfn.deploy.local.engines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.kafka.KafkaClientConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectWorkerPropertiesTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"flowfn\" password=\"s3cr3t-jaas\";";

    private final KafkaClientConfig kafka =
            KafkaClientConfig.fromProperties(
                    Map.of(
                            "bootstrap.servers", "broker:9093",
                            "security.protocol", "SASL_SSL",
                            "sasl.mechanism", "SCRAM-SHA-512",
                            "sasl.jaas.config", JAAS,
                            "ssl.keystore.password", "s3cr3t-store"));

    @Test
    void theWorkerAndEveryClientItMakesGetTheClientPropertiesWithoutTheirSecrets() {
        Map<String, String> p =
                ConnectWorkerProcess.workerProperties(
                        kafka, 8083, Path.of("/data/connect"), Path.of("/plugins"));

        assertThat(p)
                .containsEntry("bootstrap.servers", "broker:9093")
                .doesNotContainKey("producer.bootstrap.servers")
                .containsEntry("config.providers", "env");
        for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
            assertThat(p)
                    .containsEntry(prefix + "security.protocol", "SASL_SSL")
                    .containsEntry(prefix + "sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry(
                            prefix + "sasl.jaas.config", "${env:FLOWFN_KAFKA_SASL_JAAS_CONFIG}")
                    .containsEntry(
                            prefix + "ssl.keystore.password",
                            "${env:FLOWFN_KAFKA_SSL_KEYSTORE_PASSWORD}");
        }
        assertThat(String.join("\n", p.values()))
                .doesNotContain("s3cr3t-jaas")
                .doesNotContain("s3cr3t-store");
    }

    @Test
    void theSecretsTravelInTheWorkersEnvironment() {
        assertThat(ConnectWorkerProcess.workerSecrets(kafka))
                .containsOnly(
                        Map.entry("FLOWFN_KAFKA_SASL_JAAS_CONFIG", JAAS),
                        Map.entry("FLOWFN_KAFKA_SSL_KEYSTORE_PASSWORD", "s3cr3t-store"));
        assertThat(ConnectWorkerProcess.workerSecrets(KafkaClientConfig.of("broker:9092")))
                .isEmpty();
    }
}
