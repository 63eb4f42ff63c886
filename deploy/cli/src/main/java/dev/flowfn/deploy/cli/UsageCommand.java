package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.UsageRow;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "usage",
        mixinStandardHelpOptions = true,
        description = {
            "Metered usage per function and version: invocations (attempts), errors, billed ms (each attempt"
                    + " rounded up to 1 ms), GB-seconds, p50/p99 duration (worst window) and a cost estimate.",
            "Counted inside the exactly-once pipeline: exact across crashes. Windows close about a minute after"
                    + " they end."
        })
final class UsageCommand extends CliCommand implements Callable<Integer> {

    private static final List<String> COLUMNS =
            List.of(
                    "function",
                    "version",
                    "window",
                    "invocations",
                    "errors",
                    "billedMs",
                    "gbSeconds",
                    "p50Ms",
                    "p99Ms",
                    "cost");

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this function")
    String function;

    @Option(
            names = "--since",
            defaultValue = "1h",
            description = "How far back; default ${DEFAULT-VALUE}")
    String since;

    @Option(
            names = "--window",
            description = "One row per window of this size (e.g. 1m) instead of one per version")
    String window;

    @Option(
            names = "--format",
            defaultValue = "table",
            description = "table or csv; default ${DEFAULT-VALUE}")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("csv")) {
            throw new CliException("--format must be table or csv");
        }
        List<UsageRow> rows = server.client().usage(function, since, window);
        List<String> columns =
                COLUMNS.stream().filter(c -> window != null || !c.equals("window")).toList();
        if (format.equals("csv")) {
            out().println(String.join(",", columns));
            rows.forEach(
                    r ->
                            out().println(
                                            String.join(
                                                    ",",
                                                    columns.stream()
                                                            .map(c -> String.valueOf(column(r, c)))
                                                            .toList())));
            return 0;
        }
        if (rows.isEmpty()) {
            out().println(
                            "No metered usage in the last "
                                    + since
                                    + " (windows close about a minute after they end).");
            return 0;
        }
        StringBuilder format = new StringBuilder();
        for (String c : columns) {
            format.append(
                    c.equals("function") ? "%-24s " : c.equals("window") ? "%-22s " : "%12s ");
        }
        String line = format.toString().stripTrailing() + "%n";
        out().printf(
                        line,
                        columns.stream().map(c -> c.equals("cost") ? "cost (USD)" : c).toArray());
        for (UsageRow r : rows) {
            out().printf(line, columns.stream().map(c -> column(r, c)).toArray());
        }
        return 0;
    }

    /** The value of one of {@link #COLUMNS}. */
    private static Object column(UsageRow r, String column) {
        return switch (column) {
            case "function" -> r.function();
            case "version" ->
                    r.aliases() == null || r.aliases().isEmpty()
                            ? String.valueOf(r.version())
                            : r.version() + " (" + String.join(", ", r.aliases()) + ")";
            case "window" -> r.window();
            case "invocations" -> r.invocations();
            case "errors" -> r.errors();
            case "billedMs" -> r.billedMs();
            case "gbSeconds" -> r.gbSeconds();
            case "p50Ms" -> r.p50Ms();
            case "p99Ms" -> r.p99Ms();
            case "cost" -> r.cost();
            default -> throw new IllegalArgumentException(column);
        };
    }
}
