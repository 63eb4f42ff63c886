package dev.flowfn.deploy.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every {@code flowfn} subcommand, in the order {@code flowfn --help} lists them, and which class
 * path each needs. Client commands talk to the control server and need picocli, Jackson and the
 * control API alone; platform commands (they start engines, read Kafka, or validate with the
 * platform's schemas) need the whole platform class path.
 *
 * <p>{@link FlowfnCli} builds only the command that is run: picocli reflects on every class it is
 * given, which costs time and, on the client class path, fails for a platform command (its fields
 * and methods name classes that are not there). Commands listed in help but not run are stood in
 * for by their name, header and description ({@link #placeholder}), read from the annotation
 * without linking the class.
 */
final class CommandCatalog {

    /** One subcommand: its class, and whether it runs on the client class path. */
    record Entry(String name, Class<?> type, boolean client) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        platform("local", LocalCommand.class);
        platform("server", ServerCommand.class);
        platform("submit", SubmitCommand.class);
        platform("scale", ScaleCommand.class);
        platform("topology", TopologyCommand.class);
        client("init", InitCommand.class);
        platform("deploy", DeployCommand.class);
        client("invoke", InvokeCommand.class);
        client("result", ResultCommand.class);
        client("list", ListCommand.class);
        client("describe", DescribeCommand.class);
        client("delete", DeleteCommand.class);
        client("versions", VersionsCommand.class);
        client("alias", AliasCommand.class);
        client("rollback", RollbackCommand.class);
        client("keys", KeysCommand.class);
        client("logs", LogsCommand.class);
        client("usage", UsageCommand.class);
        client("alerts", AlertsCommand.class);
        platform("tail", TailCommand.class);
        platform("connectors", ConnectorsCommand.class);
        // completion scripts name every option of every command
        platform("completion", CompletionCommand.class);
        client("help", CommandLine.HelpCommand.class);
    }

    private static void client(String name, Class<?> type) {
        ENTRIES.put(name, new Entry(name, type, true));
    }

    private static void platform(String name, Class<?> type) {
        ENTRIES.put(name, new Entry(name, type, false));
    }

    static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    static Optional<Entry> find(String name) {
        return Optional.ofNullable(ENTRIES.get(name));
    }

    static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    /**
     * A stand-in for a command that is listed in help but not built: its name and description, from
     * the {@link Command} annotation (reading it loads the class but does not link it, so the
     * classes its methods name need not be on the class path).
     */
    static CommandSpec placeholder(Entry entry) {
        Command command = entry.type().getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(entry.name());
        // the list of commands shows a command's header, else its description
        spec.usageMessage().header(command.header()).description(command.description());
        return spec;
    }

    private CommandCatalog() {}
}
