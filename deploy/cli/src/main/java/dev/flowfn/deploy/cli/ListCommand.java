package dev.flowfn.deploy.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List deployed functions.")
final class ListCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Override
    public Integer call() {
        List<Map<String, Object>> functions = server.client().list();
        if (functions.isEmpty()) {
            out().println("No functions deployed. Deploy one with: ./flowfn deploy --help");
            return 0;
        }
        String format = "%-24s %7s  %-6s %-8s  %-40s  %s%n";
        out().printf(format, "NAME", "VERSION", "MEMORY", "TIMEOUT", "HANDLER", "TRIGGERS");
        for (Map<String, Object> f : functions) {
            out().printf(
                            format,
                            f.get("name"),
                            f.get("version"),
                            f.get("memoryMb"),
                            f.get("timeout"),
                            f.get("handler"),
                            String.join(" ", (List<String>) f.get("triggers")));
        }
        return 0;
    }
}
