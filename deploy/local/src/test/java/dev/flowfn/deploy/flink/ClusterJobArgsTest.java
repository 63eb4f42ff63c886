package dev.flowfn.deploy.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.job.JobParameters;
import dev.flowfn.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The job's arguments for a first run, and for a run again from what the cluster shows of it: the
 * same options, with the credentials given again and never taken from the cluster.
 */
class ClusterJobArgsTest {

    private static final KafkaClientConfig SASL =
            KafkaClientConfig.of("kafka:9093")
                    .withProperty("security.protocol", "SASL_SSL")
                    .withProperty("sasl.jaas.config", "PlainLoginModule password=\"kafka-pw\";");
    private static final S3Credentials KEYS = new S3Credentials("access", "s3-secret-key");

    private static ProgramArgs submitted() {
        return ClusterJobArgs.forSubmit(
                new ClusterJobArgs.Submit(
                        SASL,
                        "http://minio:9000",
                        KEYS,
                        "s3://flowfn/savepoints",
                        Duration.ofMillis(500),
                        2,
                        Map.of("flowfn.metering.window", "10s")));
    }

    /** What the job shows on the cluster for these arguments. */
    private static Map<String, String> shown() {
        return JobParameters.shown(submitted().options());
    }

    @Test
    void aFirstRunCarriesEveryOption() {
        assertThat(submitted().options())
                .containsEntry("flowfn.kafka.bootstrap-servers", "kafka:9093")
                .containsEntry("flowfn.kafka.properties.security.protocol", "SASL_SSL")
                .containsEntry("flowfn.s3.endpoint", "http://minio:9000")
                .containsEntry("flowfn.s3.secret-key", "s3-secret-key")
                .containsEntry("execution.checkpointing.savepoint-dir", "s3://flowfn/savepoints")
                .containsEntry("execution.checkpointing.interval", "500ms")
                .containsEntry(
                        "execution.checkpointing.externalized-checkpoint-retention",
                        "RETAIN_ON_CANCELLATION")
                .containsEntry("parallelism.default", "2")
                .containsEntry("flowfn.metering.window", "10s");
        assertThat(submitted().toString()).doesNotContain("kafka-pw", "s3-secret-key");
    }

    @Test
    void runsAgainWithTheSameOptionsTheCredentialsGivenAgainAndTheNewParallelism() {
        ProgramArgs again =
                ClusterJobArgs.again(shown(), Optional.of(SASL), Optional.of(KEYS), Map.of(), 4);

        assertThat(again.options())
                .isEqualTo(submitted().with("parallelism.default", "4").options());
    }

    @Test
    void theKafkaPropertiesMustBeGivenAgainFromTheSameCluster() {
        assertThatThrownBy(
                        () ->
                                ClusterJobArgs.again(
                                        shown(), Optional.empty(), Optional.of(KEYS), Map.of(), 4))
                .hasMessageContaining("[sasl.jaas.config, security.protocol]")
                .hasMessageContaining("give its --kafka-config FILE again");
        assertThatThrownBy(
                        () ->
                                ClusterJobArgs.again(
                                        shown(),
                                        Optional.of(KafkaClientConfig.of("kafka:9093")),
                                        Optional.of(KEYS),
                                        Map.of(),
                                        4))
                .hasMessageContaining("lacks [sasl.jaas.config, security.protocol]");
        assertThatThrownBy(
                        () ->
                                ClusterJobArgs.again(
                                        shown(),
                                        Optional.of(KafkaClientConfig.of("other:9092")),
                                        Optional.of(KEYS),
                                        Map.of(),
                                        4))
                .hasMessageContaining("the job reads Kafka at kafka:9093");
    }

    @Test
    void theS3KeysAndOtherHiddenOptionsMustBeGivenAgain() {
        assertThatThrownBy(
                        () ->
                                ClusterJobArgs.again(
                                        shown(), Optional.of(SASL), Optional.empty(), Map.of(), 4))
                .hasMessageContaining("FLOWFN_S3_ACCESS_KEY");

        Map<String, String> withSecretConf =
                JobParameters.shown(submitted().with("my.webhook.token", "t0k3n").options());
        assertThatThrownBy(
                        () ->
                                ClusterJobArgs.again(
                                        withSecretConf,
                                        Optional.of(SASL),
                                        Optional.of(KEYS),
                                        Map.of(),
                                        4))
                .hasMessageContaining("[my.webhook.token]")
                .hasMessageContaining("--conf KEY=VALUE");
        assertThat(
                        ClusterJobArgs.again(
                                        withSecretConf,
                                        Optional.of(SASL),
                                        Optional.of(KEYS),
                                        Map.of("my.webhook.token", "t0k3n"),
                                        4)
                                .options())
                .containsEntry("my.webhook.token", "t0k3n");
    }
}
