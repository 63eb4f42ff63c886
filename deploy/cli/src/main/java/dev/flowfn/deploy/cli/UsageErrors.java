package dev.flowfn.deploy.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the CLI reports bad usage: {@code error: <what>}, close matches when picocli finds some, a
 * pointer to the command's {@code --help}, and exit code 2. An argument no command takes is an
 * error even with {@code --help} or {@code --version} after it (picocli would print the help or
 * version and exit 0, so a typo would look like success).
 */
final class UsageErrors {

    static final int EXIT_CODE = 2;

    /** Makes {@code cli} report parse errors, and unmatched arguments, this way. */
    static void install(CommandLine cli) {
        cli.setParameterExceptionHandler(UsageErrors::report);
        cli.setExecutionStrategy(UsageErrors::rejectUnmatchedThenRun);
    }

    /**
     * An unknown first word: lists the commands ({@code top} has every one, placeholders will do).
     */
    static int unknownCommand(String name, CommandLine top, PrintWriter err) {
        err.println(
                "error: unknown command '"
                        + name
                        + "'; the commands are: "
                        + String.join(", ", CommandCatalog.names())
                        + " (see flowfn --help)");
        List<String> close =
                new UnmatchedArgumentException(top, List.of(name))
                        .getSuggestions().stream().filter(s -> !s.startsWith("-")).toList();
        if (!close.isEmpty()) {
            err.println("Did you mean: " + String.join(" or ", close) + "?");
        }
        err.flush();
        return EXIT_CODE;
    }

    private static int rejectUnmatchedThenRun(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                // parsing records these even when help was asked for; picocli would then ignore
                // them
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return new RunLast().execute(parseResult);
    }

    private static int report(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + command.getCommandSpec().qualifiedName() + " --help' for its usage.");
        err.flush();
        return EXIT_CODE;
    }

    private UsageErrors() {}
}
