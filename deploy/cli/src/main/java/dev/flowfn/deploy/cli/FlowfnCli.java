package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.client.ControlApiException;
import dev.flowfn.deploy.local.DataDir;
import dev.flowfn.schemas.InvalidSpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flowfn} command. Its subcommands are declared in {@link CommandCatalog}, which also
 * says which of them run on the small client class path the {@code ./flowfn} wrapper starts them
 * with.
 */
@Command(
        name = "flowfn",
        mixinStandardHelpOptions = true,
        version = "flowfn 0.1.0",
        description =
                "Serverless functions on Kafka, Flink and S3: deploy a handler, bind it to a trigger, get exactly-once results.")
public final class FlowfnCli implements Runnable {

    /**
     * The exit code that tells the {@code ./flowfn} wrapper to start the command again on the
     * platform class path: a platform command was asked for on the client class path.
     */
    public static final int NEEDS_PLATFORM_CLASS_PATH = 75;

    /** Set by the wrapper (to {@code client}) when it starts the CLI on the client class path. */
    static final String CLASS_PATH_PROPERTY = "flowfn.classpath";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        if (System.getProperty("flowfn.log.dir") == null) {
            System.setProperty("flowfn.log.dir", logDir(args).toString());
        }
        boolean client = "client".equals(System.getProperty(CLASS_PATH_PROPERTY));
        System.exit(
                run(
                        args,
                        new PrintWriter(System.out, true),
                        new PrintWriter(System.err, true),
                        client));
    }

    /**
     * {@code --log-dir}, else the data folder's logs directory, found before logging starts (so
     * before picocli runs).
     */
    private static Path logDir(String[] args) {
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-dir") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            } else if (args[i].startsWith("--log-dir=")) {
                return Path.of(args[i].substring("--log-dir=".length()));
            }
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                dataDir = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--data-dir=")) {
                dataDir = Path.of(args[i].substring("--data-dir=".length()));
            }
        }
        return DataDir.resolve(dataDir).logs();
    }

    /**
     * Runs the CLI on the whole class path; returns the exit code (0 ok, 1 failed, 2 bad usage).
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, false);
    }

    /**
     * Runs the CLI; returns the exit code (0 ok, 1 failed, 2 bad usage). On the client class path
     * ({@code client}), a platform command returns {@link #NEEDS_PLATFORM_CLASS_PATH} at once.
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, boolean client) {
        String first = args.length > 0 ? args[0] : null;
        if (first != null && !first.startsWith("-") && CommandCatalog.find(first).isEmpty()) {
            // picocli would let a --help or --version after a typo win, and exit 0
            return UsageErrors.unknownCommand(first, commandLine(client, null), err);
        }
        CommandCatalog.Entry chosen =
                first == null ? null : CommandCatalog.find(first).orElse(null);
        if (client && needsPlatform(chosen, args)) {
            return NEEDS_PLATFORM_CLASS_PATH;
        }
        CommandLine cli = commandLine(client, chosen);
        cli.setOut(out);
        cli.setErr(err);
        UsageErrors.install(cli);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof CliException || e instanceof ControlApiException) {
                        commandLine.getErr().println("error: " + e.getMessage());
                        return 1;
                    }
                    if (e instanceof InvalidSpecException || e instanceof UsageException) {
                        commandLine.getErr().println("error: " + e.getMessage());
                        return 2;
                    }
                    commandLine.getErr().println("error: " + e);
                    return 1;
                });
        return cli.execute(args);
    }

    /** The whole command tree, every subcommand built: what help tests and completion read. */
    static CommandLine commandLine() {
        return commandLine(false, CommandCatalog.find("help").orElseThrow());
    }

    /**
     * The {@code flowfn} command for a run of {@code chosen}: that subcommand alone, built; for
     * {@code help}, every subcommand built (platform ones on the client class path are
     * placeholders); without a subcommand (top-level help, version), every one as a placeholder,
     * enough for the list of commands.
     */
    private static CommandLine commandLine(boolean client, CommandCatalog.Entry chosen) {
        CommandLine cli = new CommandLine(new FlowfnCli());
        boolean help = chosen != null && chosen.name().equals("help");
        for (CommandCatalog.Entry entry : CommandCatalog.entries()) {
            if (chosen != null && !help && entry != chosen) {
                continue;
            }
            if (chosen == null || (client && !entry.client())) {
                cli.addSubcommand(entry.name(), CommandCatalog.placeholder(entry));
            } else {
                cli.addSubcommand(entry.name(), entry.type());
            }
        }
        cli.getSubcommands().values().forEach(FlowfnCli::dropVersionOption);
        return cli;
    }

    /**
     * Subcommands have no version of their own: their {@code -V, --version} (from {@code
     * mixinStandardHelpOptions}) would print nothing and exit 0, so a stray {@code --version}
     * looked like success. Without it, that is an unknown option (exit 2). An option of the
     * command's own named {@code --version} ({@code alias set}) stays.
     */
    private static void dropVersionOption(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        CommandLine.Model.OptionSpec version = spec.findOption("--version");
        if (version != null && version.versionHelp() && spec.version().length == 0) {
            spec.remove(version);
        }
        command.getSubcommands().values().forEach(FlowfnCli::dropVersionOption);
    }

    /** A platform command, or help about one. */
    private static boolean needsPlatform(CommandCatalog.Entry chosen, String[] args) {
        if (chosen == null) {
            return false;
        }
        if (chosen.name().equals("help")) {
            return args.length > 1
                    && CommandCatalog.find(args[1]).map(e -> !e.client()).orElse(false);
        }
        return !chosen.client();
    }
}
