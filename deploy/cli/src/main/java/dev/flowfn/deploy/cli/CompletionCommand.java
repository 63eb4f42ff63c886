package dev.flowfn.deploy.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flowfn completion bash}: a completion script for every command and option. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print a shell completion script for flowfn (commands, options, and file names where an"
                    + " option takes a file).",
            "Bash: source <(./flowfn completion bash), or save it once:"
                    + " ./flowfn completion bash > ~/.local/share/bash-completion/completions/flowfn"
        })
final class CompletionCommand extends CliCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "SHELL",
            description =
                    "The shell: bash (zsh reads it too, after 'autoload -U bashcompinit && bashcompinit')")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash")) {
            throw new UsageException(
                    "no completion for shell '"
                            + shell
                            + "'; use bash (zsh can load it with bashcompinit)");
        }
        // the whole tree: this command itself was built alone, without its siblings
        out().print(AutoComplete.bash("flowfn", FlowfnCli.commandLine()));
        out().flush();
        return 0;
    }
}
