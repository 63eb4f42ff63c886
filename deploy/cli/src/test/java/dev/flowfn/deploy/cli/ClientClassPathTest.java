package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On the client class path (as {@code ./flowfn} starts client commands), a platform command hands
 * over to the wrapper at once (exit 75, nothing printed), and help still lists every command.
 */
class ClientClassPathTest {

    private record Run(int exit, String out, String err) {}

    private static Run client(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                FlowfnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), true);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "local",
                "server --help",
                "submit --flink http://jm:8081",
                "scale --help",
                "deploy",
                "tail x",
                "completion bash",
                "help local"
            })
    void aPlatformCommandAsksForThePlatformClassPath(String line) {
        Run r = client(line.split(" "));

        assertThat(r.exit).isEqualTo(FlowfnCli.NEEDS_PLATFORM_CLASS_PATH);
        assertThat(r.out).isEmpty();
        assertThat(r.err).isEmpty();
    }

    @Test
    void topLevelHelpListsEveryCommandWithItsDescription() {
        Run r = client("--help");

        assertThat(r.exit).isZero();
        assertThat(r.err).isEmpty();
        for (String name : CommandCatalog.names()) {
            assertThat(r.out).containsPattern("(?m)^  " + name + " ");
        }
        assertThat(r.out).contains("Run a real single-node Flowfn").contains("error-rate>5%/5m");
    }

    @Test
    void clientCommandsRunHere() {
        Run help = client("list", "--help");
        assertThat(help.exit).isZero();
        assertThat(help.out).contains("Usage: flowfn list");

        Run helpCommand = client("help", "invoke");
        assertThat(helpCommand.exit).isZero();
        assertThat(helpCommand.out).contains("Usage: flowfn invoke");
    }
}
