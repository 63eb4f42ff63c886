package dev.flowfn.deploy.cli;

import java.util.Map;
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

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        Map<String, Object> f = server.client().describe(name);
        f.forEach(
                (k, v) -> {
                    if (k.equals("progress") && v instanceof Map<?, ?> p) {
                        out().printf(
                                        "%-12s %s (%s, invocation %s)%n",
                                        "progress:",
                                        p.get("message"),
                                        p.get("time"),
                                        p.get("invocationId"));
                    } else {
                        out().printf("%-12s %s%n", k + ":", v);
                    }
                });
        return 0;
    }
}
