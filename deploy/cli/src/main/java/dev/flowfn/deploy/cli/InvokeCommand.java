package dev.flowfn.deploy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    @Parameters(paramLabel = "NAME", description = "The function")
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
        Map<String, Object> result = server.client().invoke(name, body, contentType);
        if (verbose) {
            err().println(
                            "invocation "
                                    + result.get("invocationId")
                                    + ", version "
                                    + result.get("version")
                                    + ", attempts "
                                    + result.get("attempts")
                                    + ", "
                                    + result.get("durationMs")
                                    + " ms");
        }
        return print(result, out(), err());
    }

    /** Prints a result's data, or its error on stderr; returns the exit code. */
    static int print(Map<String, Object> result, PrintWriter out, PrintWriter err) {
        if (!Boolean.TRUE.equals(result.get("success"))) {
            err.println("error: " + result.get("failureKind") + ": " + result.get("error"));
            return 1;
        }
        Object text = result.get("data");
        out.println(text != null ? text : "(binary, base64) " + result.get("dataBase64"));
        return 0;
    }
}
