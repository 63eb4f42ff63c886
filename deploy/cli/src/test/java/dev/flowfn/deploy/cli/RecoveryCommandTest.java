package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.flink.ClusterJobArgs;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.job.JobParameters;
import dev.flowfn.kafka.KafkaClientConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command {@code flowfn scale} prints to start a job it left stopped: {@code flowfn submit}
 * with the options the job showed on the cluster, and no secret.
 */
class RecoveryCommandTest {

    private static Map<String, String> shown(Map<String, String> conf) {
        return JobParameters.shown(
                ClusterJobArgs.forSubmit(
                                new ClusterJobArgs.Submit(
                                        KafkaClientConfig.of("kafka:9093")
                                                .withProperty(
                                                        "sasl.jaas.config", "pw=\"kafka-pw\""),
                                        "http://minio:9000",
                                        new S3Credentials("access", "s3-secret-key"),
                                        "s3://flowfn/savepoints",
                                        Duration.ofMillis(500),
                                        4,
                                        conf))
                        .with("flowfn.submit.jar-id", "abc_job-all.jar")
                        .options());
    }

    @Test
    void submitsFromTheSnapshotWithTheOptionsTheJobRanWith() {
        String command =
                RecoveryCommand.of(
                        URI.create("http://jobmanager:8081/"),
                        2,
                        "s3://flowfn/savepoints/savepoint-1a2b",
                        "abc_job-all.jar",
                        shown(Map.of("flowfn.metering.window", "10s", "my.token", "t0k3n")),
                        Path.of("/etc/flowfn/kafka.properties"));

        assertThat(command)
                .isEqualTo(
                        "flowfn submit --flink http://jobmanager:8081/ --parallelism 2"
                                + " --from-savepoint s3://flowfn/savepoints/savepoint-1a2b"
                                + " --jar-id abc_job-all.jar"
                                + " --kafka-config /etc/flowfn/kafka.properties"
                                + " --s3-endpoint http://minio:9000"
                                + " --flink-savepoint-dir s3://flowfn/savepoints"
                                + " --checkpoint-interval 500ms"
                                + " --conf flowfn.metering.window=10s"
                                + " --conf my.token=VALUE");
        assertThat(command).doesNotContain("kafka-pw", "s3-secret-key", "t0k3n", "access");
    }

    @Test
    void withoutAKafkaConfigFileItNamesTheBootstrapServers() {
        assertThat(
                        RecoveryCommand.of(
                                URI.create("http://jm:8081/"),
                                2,
                                "file:///shared/sp/savepoint-1",
                                null,
                                shown(Map.of()),
                                null))
                .contains(" --kafka kafka:9093 ")
                .doesNotContain("--jar-id")
                .doesNotContain("--conf");
    }

    @Test
    void quotesWhatTheShellWouldSplit() {
        assertThat(RecoveryCommand.quote("s3://b/p")).isEqualTo("s3://b/p");
        assertThat(RecoveryCommand.quote("a b")).isEqualTo("'a b'");
        assertThat(RecoveryCommand.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(RecoveryCommand.quote("")).isEqualTo("''");
    }
}
