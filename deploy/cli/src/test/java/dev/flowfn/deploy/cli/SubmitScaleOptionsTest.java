package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowfn submit} and {@code flowfn scale} check their options before they reach for the
 * cluster, and say what to give (exit 2).
 */
class SubmitScaleOptionsTest {

    @TempDir Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FlowfnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpNamesWhatEachDoesWithAnExample() {
        Run submit = run("submit", "--help");
        assertThat(submit.exit).isZero();
        assertThat(submit.out)
                .contains("Usage: flowfn submit")
                .contains("Submit the Flowfn job to a Flink 2.2 cluster")
                .contains("Example: flowfn submit --flink http://jobmanager:8081")
                .contains("--kafka-config")
                .contains("--s3-endpoint")
                .contains("--flink-savepoint-dir")
                .contains("--from-savepoint");
        Run scale = run("scale", "--help");
        assertThat(scale.exit).isZero();
        assertThat(scale.out)
                .contains("Usage: flowfn scale")
                .contains("Rescale the Flowfn job")
                .contains("downtime")
                .contains("Example: flowfn scale --flink http://jobmanager:8081 --parallelism 8");
    }

    @Test
    void submitNamesWhatIsMissing() {
        assertThat(run("submit", "--kafka", "k:9092").err).contains("give --flink URL");
        Run badUrl = run("submit", "--flink", "jobmanager:8081");
        assertThat(badUrl.exit).isEqualTo(2);
        assertThat(badUrl.err).contains("--flink must be the REST URL");
        Run noKafka = run("submit", "--flink", "http://jm:8081");
        assertThat(noKafka.exit).isEqualTo(2);
        assertThat(noKafka.err).contains("give exactly one of --kafka HOST:PORT or --kafka-config");
        Run noS3 = run("submit", "--flink", "http://jm:8081", "--kafka", "k:9092");
        assertThat(noS3.exit).isEqualTo(2);
        assertThat(noS3.err).contains("give --s3-endpoint URL");
    }

    @Test
    void scaleNeedsTheParallelismAndAReadableKafkaConfig() throws Exception {
        Run noParallelism = run("scale", "--flink", "http://jm:8081");
        assertThat(noParallelism.exit).isEqualTo(2);
        assertThat(noParallelism.err).contains("--parallelism");
        Run zero = run("scale", "--flink", "http://jm:8081", "--parallelism", "0");
        assertThat(zero.exit).isEqualTo(2);
        assertThat(zero.err).contains("--parallelism must be 1 to 32768");
        Path noBootstrap = Files.writeString(dir.resolve("kafka.properties"), "acks=all\n");
        Run badConfig =
                run(
                        "scale",
                        "--flink",
                        "http://jm:8081",
                        "--parallelism",
                        "4",
                        "--kafka-config",
                        noBootstrap.toString());
        assertThat(badConfig.exit).isEqualTo(2);
        assertThat(badConfig.err).contains("has no bootstrap.servers");
    }
}
