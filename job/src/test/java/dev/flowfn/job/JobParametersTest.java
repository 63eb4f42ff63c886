package dev.flowfn.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job shows its options on the cluster with every credential's value hidden. */
class JobParametersTest {

    @Test
    void hidesCredentialsAndKeepsTheRest() {
        Map<String, String> shown =
                JobParameters.shown(
                        Map.of(
                                "flowfn.kafka.bootstrap-servers", "kafka:9093",
                                "flowfn.kafka.properties.sasl.jaas.config", "... password=\"p\";",
                                "flowfn.kafka.properties.ssl.keystore.key", "-----BEGIN KEY-----",
                                "flowfn.kafka.properties.security.protocol", "SASL_SSL",
                                "flowfn.s3.endpoint", "http://minio:9000",
                                "flowfn.s3.access-key", "AKIA",
                                "flowfn.s3.secret-key", "s3-secret",
                                "parallelism.default", "4",
                                "my.api-key", "k",
                                "some.service.password", "pw"));

        assertThat(shown)
                .containsEntry("flowfn.kafka.bootstrap-servers", "kafka:9093")
                .containsEntry("flowfn.s3.endpoint", "http://minio:9000")
                .containsEntry("parallelism.default", "4")
                .containsEntry("flowfn.kafka.properties.sasl.jaas.config", JobParameters.HIDDEN)
                .containsEntry("flowfn.kafka.properties.ssl.keystore.key", JobParameters.HIDDEN)
                .containsEntry("flowfn.kafka.properties.security.protocol", JobParameters.HIDDEN)
                .containsEntry("flowfn.s3.access-key", JobParameters.HIDDEN)
                .containsEntry("flowfn.s3.secret-key", JobParameters.HIDDEN)
                .containsEntry("my.api-key", JobParameters.HIDDEN)
                .containsEntry("some.service.password", JobParameters.HIDDEN)
                .hasSize(10);
        assertThat(shown.values())
                .doesNotContain("s3-secret", "AKIA", "pw", "k", "-----BEGIN KEY-----");
    }

    @Test
    void theJarIdAndFlinkOptionsAreShown() {
        assertThat(JobParameters.isCredential(JobOptions.SUBMITTED_JAR_ID.key())).isFalse();
        assertThat(JobParameters.isCredential("execution.checkpointing.savepoint-dir")).isFalse();
        assertThat(JobParameters.isCredential("execution.checkpointing.interval")).isFalse();
    }
}
