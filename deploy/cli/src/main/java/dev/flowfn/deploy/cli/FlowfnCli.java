package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.client.ControlApiException;
import dev.flowfn.deploy.local.DataDir;
import dev.flowfn.schemas.InvalidSpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flowfn} command. */
@Command(
        name = "flowfn",
        mixinStandardHelpOptions = true,
        version = "flowfn 0.1.0",
        description =
                "Serverless functions on Kafka, Flink and S3: deploy a handler, bind it to a trigger, get exactly-once results.",
        subcommands = {
            LocalCommand.class,
            ServerCommand.class,
            DeployCommand.class,
            InvokeCommand.class,
            ResultCommand.class,
            ListCommand.class,
            DescribeCommand.class,
            DeleteCommand.class,
            VersionsCommand.class,
            AliasCommand.class,
            RollbackCommand.class,
            KeysCommand.class,
            LogsCommand.class,
            UsageCommand.class,
            AlertsCommand.class,
            TailCommand.class,
            CommandLine.HelpCommand.class
        })
public final class FlowfnCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        if (System.getProperty("flowfn.log.dir") == null) {
            System.setProperty("flowfn.log.dir", logDir(args).toString());
        }
        System.exit(
                run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
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

    /** Runs the CLI; returns the exit code (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new FlowfnCli());
        cli.setOut(out);
        cli.setErr(err);
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
        if (args.length > 0
                && !args[0].startsWith("-")
                && !cli.getSubcommands().containsKey(args[0])) {
            // picocli would let a --help or --version after a typo win, and exit 0
            err.println(
                    "error: unknown command '"
                            + args[0]
                            + "'; the commands are: "
                            + String.join(", ", cli.getSubcommands().keySet())
                            + " (see flowfn --help)");
            return 2;
        }
        return cli.execute(args);
    }
}
