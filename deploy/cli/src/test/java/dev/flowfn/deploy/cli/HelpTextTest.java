package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Help as a user asks for it prints no picocli warning ({@code Could not format ...}: a lone '%' in
 * a description), neither on the command's stderr nor on the JVM's, where picocli's tracer writes.
 */
class HelpTextTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "help",
                "alerts --help",
                "deploy --help",
                "submit --help",
                "scale --help",
                "help alerts",
                ""
            })
    void helpPrintsNoWarning(String line) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream original = System.err;
        ByteArrayOutputStream jvmErr = new ByteArrayOutputStream();
        System.setErr(new PrintStream(jvmErr, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit =
                    FlowfnCli.run(
                            line.isEmpty() ? new String[0] : line.split(" "),
                            new PrintWriter(out, true),
                            new PrintWriter(err, true));
        } finally {
            System.setErr(original);
        }

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Usage: flowfn");
        assertThat(err.toString()).isEmpty();
        assertThat(jvmErr.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
