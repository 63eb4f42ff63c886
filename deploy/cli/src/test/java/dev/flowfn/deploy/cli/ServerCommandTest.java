package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.control.ControlSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code flowfn server}'s options and environment map onto {@link ControlSettings}, or name the
 * fix.
 */
class ServerCommandTest {

    private static final Map<String, String> ENV =
            Map.of(
                    "FLOWFN_S3_ACCESS_KEY", "access",
                    "FLOWFN_S3_SECRET_KEY", "s3-secret",
                    "FLOWFN_TOKEN", "api-token");

    @TempDir Path dir;

    private static ServerCommand parse(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void mapsEveryOptionAndTheEnvironment() {
        ControlSettings s =
                parse(
                                "--kafka", "kafka-1:9092,kafka-2:9092",
                                "--s3-endpoint", "http://minio:9000",
                                "--code-bucket", "code",
                                "--host", "0.0.0.0",
                                "--port", "9000",
                                "--gateway-port", "9001",
                                "--max-body", "512KB",
                                "--result-slack", "40s")
                        .settings(
                                Map.of(
                                        "FLOWFN_S3_ACCESS_KEY", "access",
                                        "FLOWFN_S3_SECRET_KEY", "s3-secret",
                                        "FLOWFN_TOKEN", "api-token",
                                        "FLOWFN_S3_WEBHOOK_TOKEN", "hook"));

        assertThat(s.kafka().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(s.s3Endpoint()).isEqualTo("http://minio:9000");
        assertThat(s.s3AccessKey()).isEqualTo("access");
        assertThat(s.s3SecretKey()).isEqualTo("s3-secret");
        assertThat(s.codeBucket()).isEqualTo("code");
        assertThat(s.token()).isEqualTo("api-token");
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(9000);
        assertThat(s.gatewayPort()).isEqualTo(9001);
        assertThat(s.maxBodyBytes()).isEqualTo(512 * 1024);
        assertThat(s.resultSlack()).isEqualTo(Duration.ofSeconds(40));
        assertThat(s.s3WebhookToken()).isEqualTo("hook");
        assertThat(s.toString()).doesNotContain("s3-secret").doesNotContain("api-token");
    }

    @Test
    void defaultsAreControlSettingsDefaults() {
        ControlSettings s =
                parse("--kafka", "k:9092", "--s3-endpoint", "http://s3:9000").settings(ENV);

        assertThat(s.codeBucket()).isEqualTo(ControlSettings.DEFAULT_CODE_BUCKET);
        assertThat(s.host()).isEqualTo(ControlSettings.DEFAULT_HOST);
        assertThat(s.maxBodyBytes()).isEqualTo(ControlSettings.DEFAULT_MAX_BODY_BYTES);
        assertThat(s.resultSlack()).isEqualTo(ControlSettings.DEFAULT_RESULT_SLACK);
        assertThat(s.s3WebhookToken()).isNull();
    }

    @Test
    void kafkaConfigAndTokenFile() throws Exception {
        Path kafka =
                Files.writeString(dir.resolve("kafka.properties"), "bootstrap.servers=k:9093\n");
        Path token = Files.writeString(dir.resolve("token"), "file-token\n");
        ControlSettings s =
                parse(
                                "--kafka-config", kafka.toString(),
                                "--token-file", token.toString(),
                                "--s3-endpoint", "http://s3:9000")
                        .settings(
                                Map.of(
                                        "FLOWFN_S3_ACCESS_KEY",
                                        "access",
                                        "FLOWFN_S3_SECRET_KEY",
                                        "secret-key"));

        assertThat(s.kafka().bootstrapServers()).isEqualTo("k:9093");
        assertThat(s.token()).isEqualTo("file-token");
    }

    @Test
    void badOrMissingValuesNameTheFix() {
        String[] ok = {"--s3-endpoint", "http://s3:9000"};
        assertThatThrownBy(() -> parse(ok).settings(ENV))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--kafka HOST:PORT or --kafka-config FILE");
        assertThatThrownBy(() -> parse("--kafka", "k:9092", "--kafka-config", "f").settings(ENV))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> parse("--kafka", "k:9092").settings(ENV))
                .hasMessageContaining("--s3-endpoint URL");
        assertThatThrownBy(() -> parse("--kafka", "nohost", ok[0], ok[1]).settings(ENV))
                .hasMessageContaining("--kafka must be HOST:PORT");
        assertThatThrownBy(() -> parse("--kafka", "k:1", ok[0], ok[1]).settings(Map.of()))
                .hasMessageContaining("FLOWFN_S3_ACCESS_KEY and FLOWFN_S3_SECRET_KEY");
        assertThatThrownBy(
                        () ->
                                parse("--kafka", "k:1", ok[0], ok[1])
                                        .settings(
                                                Map.of(
                                                        "FLOWFN_S3_ACCESS_KEY", "access",
                                                        "FLOWFN_S3_SECRET_KEY", "secret-key")))
                .hasMessageContaining("set FLOWFN_TOKEN or give --token-file");
        assertThatThrownBy(
                        () ->
                                parse("--kafka", "k:1", ok[0], ok[1], "--port", "70000")
                                        .settings(ENV))
                .hasMessageContaining("--port must be 0 to 65535");
        assertThatThrownBy(
                        () ->
                                parse("--kafka", "k:1", ok[0], ok[1], "--gateway-port", "8080")
                                        .settings(ENV))
                .hasMessageContaining("must differ");
        assertThatThrownBy(
                        () ->
                                parse("--kafka", "k:1", ok[0], ok[1], "--max-body", "lots")
                                        .settings(ENV))
                .hasMessageContaining("--max-body must be a positive size");
        assertThatThrownBy(
                        () ->
                                parse("--kafka", "k:1", ok[0], ok[1], "--result-slack", "soon")
                                        .settings(ENV))
                .hasMessageContaining("--result-slack");
        assertThatThrownBy(
                        () ->
                                parse("--kafka", "k:1", ok[0], ok[1], "--code-bucket", "A_B")
                                        .settings(ENV))
                .hasMessageContaining("not an S3 bucket name");
    }

    @Test
    void aBadStartExitsTwoWithTheMessage() {
        StringWriter err = new StringWriter();
        int exit =
                FlowfnCli.run(
                        new String[] {"server", "--s3-endpoint", "http://s3:9000"},
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: ").contains("--kafka HOST:PORT");
    }

    @Test
    void sizes() {
        assertThat(ServerCommand.parseSize("6MB")).isEqualTo(6L * 1024 * 1024);
        assertThat(ServerCommand.parseSize("1048576")).isEqualTo(1048576);
        assertThat(ServerCommand.parseSize("2g")).isEqualTo(2L * 1024 * 1024 * 1024);
    }
}
