package dev.flowfn.deploy.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramArgsTest {

    private final ProgramArgs args =
            ProgramArgs.of(
                    Map.of(
                            "flowfn.s3.access-key", "AKIAEXAMPLE",
                            "flowfn.s3.secret-key", "s3cr3t-value",
                            "flowfn.kafka.properties.sasl.jaas.config",
                                    "PlainLoginModule required username=\"u\" password=\"kpass\";",
                            "flowfn.kafka.properties.acks", "1",
                            "execution.checkpointing.interval", "500ms"));

    @Test
    void sendsEverySecretButShowsNone() {
        assertThat(args.list())
                .containsExactly(
                        "--execution.checkpointing.interval",
                        "500ms",
                        "--flowfn.kafka.properties.acks",
                        "1",
                        "--flowfn.kafka.properties.sasl.jaas.config",
                        "PlainLoginModule required username=\"u\" password=\"kpass\";",
                        "--flowfn.s3.access-key",
                        "AKIAEXAMPLE",
                        "--flowfn.s3.secret-key",
                        "s3cr3t-value");
        assertThat(String.join(" ", args.masked()))
                .contains("--execution.checkpointing.interval 500ms")
                .doesNotContain("s3cr3t-value")
                .doesNotContain("AKIAEXAMPLE")
                .doesNotContain("kpass");
        assertThat(args.toString())
                .doesNotContain("s3cr3t-value")
                .doesNotContain("kpass")
                .contains("--flowfn.s3.secret-key ******")
                .contains("--flowfn.kafka.properties.sasl.jaas.config ******");
    }

    @Test
    void masksSecretsInWhatTheClusterAnswers() {
        assertThat(args.mask("main method failed: bad key s3cr3t-value for AKIAEXAMPLE, 1 retry"))
                .as("a short Kafka property value (acks=1) is left alone")
                .isEqualTo("main method failed: bad key ****** for ******, 1 retry");
        assertThat(ProgramArgs.isSecret("security.ssl.keystore-password")).isTrue();
        assertThat(ProgramArgs.isSecret("flowfn.s3.access-key")).isTrue();
        assertThat(ProgramArgs.isSecret("flowfn.kafka.properties.security.protocol")).isTrue();
        assertThat(ProgramArgs.isSecret("flowfn.kafka.bootstrap-servers")).isFalse();
        assertThat(ProgramArgs.isSecret("flowfn.kafka.properties.sasl.jaas.config")).isTrue();
    }

    @Test
    void summarizesFlinkErrorsToTheOutermostMessageAndRootCause() {
        String body =
                "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute"
                        + " application.\\n\\tat X.y(X.java:1)\\nCaused by: java.lang.IllegalStateException: middle\\n"
                        + "Caused by: java.io.FileNotFoundException: /nope (No such file)\\n\\tat Z.z(Z.java:2)\"]}";
        assertThat(FlinkErrors.fromResponse(body))
                .isEqualTo(
                        "org.apache.flink.runtime.rest.handler.RestHandlerException:"
                                + " Could not execute application. (caused by java.io.FileNotFoundException: /nope (No such file))");
        assertThat(FlinkErrors.fromResponse("<html>Bad gateway</html>"))
                .isEqualTo("<html>Bad gateway</html>");
    }
}
