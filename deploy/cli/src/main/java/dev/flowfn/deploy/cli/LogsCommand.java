package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.LogLine;
import dev.flowfn.deploy.control.api.LogPage;
import dev.flowfn.deploy.control.client.ControlClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description =
                "A function's log lines (what its handler logged through its context), oldest first."
                        + " Lines appear once the job commits them (its checkpoint interval).")
final class LogsCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME")
    String function;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new lines until interrupted")
    boolean follow;

    @Option(
            names = "--since",
            defaultValue = "10m",
            description = "How far back to start; default ${DEFAULT-VALUE}")
    String since;

    @Option(names = "--invocation", paramLabel = "ID", description = "Only this invocation's lines")
    String invocation;

    @Override
    public Integer call() throws InterruptedException {
        ControlClient client = server.client();
        String cursor = null;
        do {
            LogPage page = client.logs(function, since, invocation, cursor);
            for (LogLine l : page.lines()) {
                out().printf(
                                "%s %-5s v%s %s %s%n",
                                l.time(), l.level(), l.version(), l.invocationId(), l.message());
            }
            out().flush();
            cursor = page.cursor();
            if (follow && page.lines().isEmpty()) {
                Thread.sleep(500);
            }
        } while (follow);
        return 0;
    }
}
