package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Anything no command takes is an error (exit 2) that names it and points at --help, also when a
 * --help or --version follows it: never the help or version text with exit 0.
 */
class UnknownCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String line) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                FlowfnCli.run(
                        line.split(" "), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "list extra --help, 'extra', flowfn list --help",
        "keys crete x --version, 'crete', flowfn keys --help",
        "keys create --bogus --help, '--bogus', flowfn keys create --help",
        "describe a b, 'b', flowfn describe --help",
        "--help nosuch, 'nosuch', flowfn --help"
    })
    void anUnmatchedArgumentIsAnErrorEvenWithHelpOrVersion(String line, String named, String hint) {
        Run r = run(line);

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err).startsWith("error: ").contains(named).contains("See '" + hint + "'");
    }

    @ParameterizedTest
    @CsvSource({
        "lst, list",
        "keys crete x, keys create",
        "invok fn, invoke",
        "list --sever=x, --server"
    })
    void closeMatchesAreSuggested(String line, String suggestion) {
        Run r = run(line);

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains(suggestion);
    }

    @ParameterizedTest
    @CsvSource({
        "versions f --version, flowfn versions --help",
        "list --version, flowfn list --help",
        "keys create f -V, flowfn keys create --help"
    })
    void aSubcommandHasNoVersionOption(String line, String hint) {
        Run r = run(line);

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err).startsWith("error: Unknown option: '-").contains("See '" + hint + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aliases set x y --version 1", "nosuchcommand --help"})
    void theIssueExamplesExitTwo(String line) {
        Run r = run(line);

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).startsWith("error: unknown command '" + line.split(" ")[0] + "'");
        assertThat(r.out).isEmpty();
    }
}
