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
                            "execution.checkpointing.interval", "500ms"));

    @Test
    void sendsEverySecretButShowsNone() {
        assertThat(args.list())
                .containsExactly(
                        "--execution.checkpointing.interval", "500ms",
                        "--flowfn.s3.access-key", "AKIAEXAMPLE",
                        "--flowfn.s3.secret-key", "s3cr3t-value");
        assertThat(args.masked())
                .contains("AKIAEXAMPLE", ProgramArgs.MASK)
                .doesNotContain("s3cr3t-value");
        assertThat(args.toString())
                .doesNotContain("s3cr3t-value")
                .contains("--flowfn.s3.secret-key ******");
    }

    @Test
    void masksSecretsInWhatTheClusterAnswers() {
        assertThat(args.mask("main method failed: bad key s3cr3t-value for AKIAEXAMPLE"))
                .isEqualTo("main method failed: bad key ****** for AKIAEXAMPLE");
        assertThat(ProgramArgs.isSecret("security.ssl.keystore-password")).isTrue();
        assertThat(ProgramArgs.isSecret("flowfn.kafka.properties.sasl.jaas.config")).isTrue();
        assertThat(ProgramArgs.isSecret("flowfn.kafka.properties.ssl.keystore.password")).isTrue();
        assertThat(ProgramArgs.isSecret("flowfn.s3.access-key")).isFalse();
        assertThat(ProgramArgs.isSecret("flowfn.kafka.properties.security.protocol")).isFalse();
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
