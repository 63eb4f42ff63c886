package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {

    @Test
    void bashCompletesEveryCommandAndItsOptions() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                FlowfnCli.run(
                        new String[] {"completion", "bash"},
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));

        assertThat(exit).isZero();
        assertThat(err.toString()).isEmpty();
        String script = out.toString();
        assertThat(script).contains("complete -F _complete_flowfn");
        for (String name : CommandCatalog.names()) {
            assertThat(script).contains(name);
        }
        assertThat(script).contains("--data-dir").contains("--trigger").contains("--follow");
        // runtimes complete by name, for deploy and init
        assertThat(script)
                .contains("(\"java\" \"java-embedded\" \"nodejs\" \"python\" \"http\")")
                .contains("(\"java\" \"nodejs\" \"python\")")
                .contains("--code")
                .contains("--no-export-check");
    }

    @Test
    void anotherShellIsAUsageErrorThatNamesBash() {
        StringWriter err = new StringWriter();
        int exit =
                FlowfnCli.run(
                        new String[] {"completion", "fish"},
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err, true));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("no completion for shell 'fish'").contains("bash");
    }
}
