package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description =
                "Show a function's current version: handler, limits, triggers, code location, and"
                        + " the latest progress its handler reported (context.progress) in the last 24 h."
                        + " Environment variables are listed by name only; their values may be credentials.")
final class DescribeCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME[:VERSION|:ALIAS]")
    String name;

    @Override
    public Integer call() {
        FunctionView f = server.client().describe(name);
        // in the order the server writes them
        field("name", f.name());
        field("version", f.version());
        field("runtime", f.runtime());
        field("handler", f.handler());
        field("memoryMb", f.memoryMb());
        field("timeout", f.timeout());
        field("concurrency", f.concurrency());
        field("retries", f.retries());
        field("triggers", f.triggers());
        field("env", f.env());
        field("alerts", f.alerts());
        field("alertWebhook", f.alertWebhook());
        field("outputs", f.outputs());
        field("codeUri", f.codeUri());
        field("codeSha256", f.codeSha256());
        field("deployedAt", f.deployedAt());
        if (f.versions() != null && f.versions().size() > 1) {
            field("versions", f.versions());
        }
        if (f.aliases() != null && !f.aliases().isEmpty()) {
            field(
                    "aliases",
                    f.aliases().stream()
                            .map(dev.flowfn.deploy.control.api.AliasView::describe)
                            .toList());
        }
        Progress p = f.progress();
        if (p != null) {
            out().printf(
                            "%-12s %s (%s, invocation %s)%n",
                            "progress:", p.message(), p.time(), p.invocationId());
        }
        return 0;
    }

    private void field(String name, Object value) {
        out().printf("%-12s %s%n", name + ":", value);
    }
}
