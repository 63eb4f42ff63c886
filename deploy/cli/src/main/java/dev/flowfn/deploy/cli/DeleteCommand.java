package dev.flowfn.deploy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Delete a function: its triggers stop at once; events already matched still run.",
            "NAME:VERSION deletes one kept version (not the latest, nor one an alias uses)."
        })
final class DeleteCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME[:VERSION]")
    String name;

    @Override
    public Integer call() {
        server.client().delete(name);
        out().println("Deleted " + name);
        return 0;
    }
}
