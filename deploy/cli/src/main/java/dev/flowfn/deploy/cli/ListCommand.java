package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.FunctionView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List deployed functions.")
final class ListCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Override
    public Integer call() {
        List<FunctionView> functions = server.client().list();
        if (functions.isEmpty()) {
            out().println("No functions deployed. Deploy one with: ./flowfn deploy --help");
            return 0;
        }
        String format = "%-24s %7s  %-6s %-8s  %-40s  %s%n";
        out().printf(format, "NAME", "VERSION", "MEMORY", "TIMEOUT", "HANDLER", "TRIGGERS");
        for (FunctionView f : functions) {
            out().printf(
                            format,
                            f.name(),
                            f.version(),
                            f.memoryMb(),
                            f.timeout(),
                            f.handler(),
                            String.join(" ", f.triggers()));
        }
        return 0;
    }
}
