package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.AliasView;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.RollbackRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description = {
            "Go back to an earlier version.",
            "With --alias: point the alias where it was before its last move (a canary split ends"
                    + " on its stable version), or at --to VERSION.",
            "Without: make the previous version (or --to VERSION) the latest again, as a new"
                    + " version with its code and settings."
        })
final class RollbackCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "The alias to move back")
    String alias;

    @Option(names = "--to", paramLabel = "VERSION", description = "The version to go back to")
    Long to;

    @Override
    public Integer call() {
        FunctionView after = server.client().rollback(name, new RollbackRequest(alias, to));
        if (alias != null) {
            AliasView moved =
                    after.aliases().stream()
                            .filter(a -> a.name().equals(alias))
                            .findFirst()
                            .orElseThrow();
            out().println("Alias " + name + ":" + moved.describe());
        } else {
            out().println(
                            name
                                    + " version "
                                    + after.version()
                                    + " is the latest, with the code of "
                                    + (to == null ? "the previous version" : "version " + to)
                                    + (after.codeSha256().isEmpty() // http: no code, a URL
                                            ? " (" + after.codeUri() + ")"
                                            : " (sha256 "
                                                    + after.codeSha256().substring(0, 12)
                                                    + "...)"));
        }
        return 0;
    }
}
