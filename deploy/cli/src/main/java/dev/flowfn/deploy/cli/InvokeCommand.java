package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.ResultView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "invoke",
        mixinStandardHelpOptions = true,
        description =
                "Call a function directly and print its result (once it is committed, exactly once)."
                        + " Exit code 1 when the function failed; its error goes to stderr.")
final class InvokeCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Parameters(
            paramLabel = "NAME[:VERSION|:ALIAS]",
            description =
                    "The function: its latest version, a version (resize:3) or an alias (resize:prod)")
    String name;

    @Option(
            names = "--data",
            paramLabel = "JSON|@FILE",
            defaultValue = "",
            description = "The event data: text (usually JSON) or @file; default empty")
    String data;

    @Option(
            names = "--content-type",
            defaultValue = "application/json",
            description = "Media type of --data; default ${DEFAULT-VALUE}")
    String contentType;

    @Option(
            names = "--async",
            description =
                    "Return at once with the invocation id; fetch the result with 'flowfn result ID'")
    boolean async;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also print invocation id, version, attempts and duration")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        byte[] body =
                data.startsWith("@")
                        ? Files.readAllBytes(Path.of(data.substring(1)))
                        : data.getBytes(StandardCharsets.UTF_8);
        if (async) {
            out().println(server.client().invokeAsync(name, body, contentType));
            return 0;
        }
        ResultView result = server.client().invoke(name, body, contentType);
        if (verbose) {
            err().println(
                            "invocation "
                                    + result.invocationId()
                                    + ", version "
                                    + result.version()
                                    + ", attempts "
                                    + result.attempts()
                                    + ", "
                                    + result.durationMs()
                                    + " ms");
        }
        return print(result, out(), err());
    }

    /** Prints a result's data, or its error on stderr; returns the exit code. */
    static int print(ResultView result, PrintWriter out, PrintWriter err) {
        if (!result.success()) {
            err.println("error: " + result.failureKind() + ": " + result.error());
            return 1;
        }
        String text = result.data();
        out.println(text != null ? text : "(binary, base64) " + result.dataBase64());
        return 0;
    }
}
