package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.client.ControlApiException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "result",
        mixinStandardHelpOptions = true,
        description =
                "Print the committed result of an invocation (from 'invoke --async', an HTTP 202, or the"
                        + " X-Flowfn-Invocation response header). Exit code 1 if it failed, 3 if there is no result yet.")
final class ResultCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", description = "The invocation id")
    String id;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also print function, version, status, attempts and duration")
    boolean verbose;

    @Override
    public Integer call() {
        ResultView result;
        try {
            result = server.client().result(id);
        } catch (ControlApiException e) {
            err().println("error: " + e.getMessage());
            return 3;
        }
        if (verbose) {
            err().println(
                            "function "
                                    + result.function()
                                    + " v"
                                    + result.version()
                                    + ", status "
                                    + result.status()
                                    + ", attempts "
                                    + result.attempts()
                                    + ", "
                                    + result.durationMs()
                                    + " ms");
        }
        return InvokeCommand.print(result, out(), err());
    }
}
