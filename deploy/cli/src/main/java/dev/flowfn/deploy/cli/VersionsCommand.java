package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.VersionView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "versions",
        mixinStandardHelpOptions = true,
        description = {
            "List a function's kept versions, newest first, with the aliases that send traffic to"
                    + " each.",
            "Every deploy makes a new immutable version; 'flowfn deploy --keep N' says how many"
                    + " are kept. Address one as NAME:VERSION (invoke, describe, delete)."
        })
final class VersionsCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        out().printf("%-8s %-14s %-25s %s%n", "VERSION", "SHA256", "DEPLOYED", "ALIASES");
        for (VersionView v : server.client().versions(name)) {
            out().printf(
                            "%-8s %-14s %-25s %s%n",
                            v.version() + (v.latest() ? "*" : ""),
                            v.codeSha256().substring(0, Math.min(12, v.codeSha256().length())),
                            v.deployedAt(),
                            v.aliases().isEmpty() ? "-" : String.join(", ", v.aliases()));
        }
        err().println("* the latest version: what NAME alone runs");
        return 0;
    }
}
