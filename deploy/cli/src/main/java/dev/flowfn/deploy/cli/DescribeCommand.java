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
                "Show a function's current version: handler, limits, triggers, code location."
                        + " Environment variables are listed by name only; their values may be credentials.")
final class DescribeCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        Map<String, Object> f = server.client().describe(name);
        f.forEach((k, v) -> System.out.printf("%-12s %s%n", k + ":", v));
        return 0;
    }
}
