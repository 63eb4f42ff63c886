package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.AliasRequest;
import dev.flowfn.deploy.control.api.AliasView;
import dev.flowfn.schemas.AlertRule;
import dev.flowfn.schemas.FunctionSpecRules;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "alias",
        mixinStandardHelpOptions = true,
        description = {
            "Aliases: names for versions (prod -> 3), optionally splitting traffic with a canary.",
            "A split is by partition key (device, object, request): each key stays on one version"
                    + " while the split lasts. Triggers run an alias with alias=NAME"
                    + " (e.g. --trigger kafka:topic=orders,alias=prod); invoke NAME:ALIAS."
        },
        subcommands = {
            AliasCommand.Set.class,
            AliasCommand.ListAliases.class,
            AliasCommand.Delete.class
        })
final class AliasCommand extends CliCommand implements Runnable {

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "set",
            description = {
                "Create or move an alias; the job routes new events by it at once, and invocations"
                        + " in flight finish on the version they started on.",
                "  flowfn alias set resize prod 3",
                "  flowfn alias set resize prod 3 --weight 4=10 --rollback-on 'error-rate>5%%/1m'"
            })
    static final class Set extends CliCommand implements Callable<Integer> {
        @Mixin ServerOptions server;

        @Parameters(index = "0", paramLabel = "FUNCTION")
        String function;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", arity = "0..1", paramLabel = "VERSION")
        Long version;

        @Option(
                names = "--version",
                paramLabel = "VERSION",
                description = "The version, if not given as the third argument")
        Long versionOption;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Option(
                names = "--weight",
                paramLabel = "VERSION=PERCENT",
                description =
                        "Send PERCENT (1-99) of the partition keys to VERSION (a canary); the rest"
                                + " stay on the alias's VERSION")
        String weight;

        @Option(
                names = "--rollback-on",
                paramLabel = "RULE",
                description =
                        "While the split lasts, move the alias back to VERSION when the canary's"
                                + " windows break RULE, e.g. 'error-rate>5%%/1m' (said on"
                                + " flowfn.alerts)")
        String rollbackOn;

        @Override
        public Integer call() {
            FunctionSpecRules.alias(alias);
            if ((version == null) == (versionOption == null)) {
                throw new CliException(
                        "say once which version alias "
                                + alias
                                + " points at: flowfn alias set "
                                + function
                                + " "
                                + alias
                                + " VERSION");
            }
            long target = version != null ? version : versionOption;
            Long canary = null;
            Integer percent = null;
            if (weight != null) {
                int eq = weight.indexOf('=');
                try {
                    canary = Long.parseLong(weight.substring(0, eq));
                    percent = Integer.parseInt(weight.substring(eq + 1).replace("%", ""));
                } catch (RuntimeException e) {
                    throw new CliException(
                            "--weight '"
                                    + weight
                                    + "' is not VERSION=PERCENT, e.g. --weight 4=10 (10% to version 4)");
                }
            }
            if (rollbackOn != null) {
                AlertRule.parse(rollbackOn);
            }
            AliasView set =
                    server.client()
                            .setAlias(
                                    function,
                                    alias,
                                    new AliasRequest(target, canary, percent, rollbackOn));
            out().println("Alias " + function + ":" + set.describe());
            if (set.rollbackOn() != null) {
                out().println("Rolls back to " + set.version() + " if: " + set.rollbackOn());
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List a function's aliases.")
    static final class ListAliases extends CliCommand implements Callable<Integer> {
        @Mixin ServerOptions server;

        @Parameters(paramLabel = "FUNCTION")
        String function;

        @Override
        public Integer call() {
            List<AliasView> aliases = server.client().aliases(function);
            if (aliases.isEmpty()) {
                err().println(
                                function
                                        + " has no aliases; create one with 'flowfn alias set "
                                        + function
                                        + " prod VERSION'");
            }
            for (AliasView a : aliases) {
                out().println(
                                a.describe()
                                        + (a.previousVersion() == null
                                                ? ""
                                                : "  (before: " + a.previousVersion() + ")")
                                        + (a.rollbackOn() == null
                                                ? ""
                                                : "  rollback-on " + a.rollbackOn()));
            }
            return 0;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete an alias (refused while a trigger runs through it).")
    static final class Delete extends CliCommand implements Callable<Integer> {
        @Mixin ServerOptions server;

        @Parameters(index = "0", paramLabel = "FUNCTION")
        String function;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Override
        public Integer call() {
            server.client().deleteAlias(function, alias);
            out().println("Deleted alias " + alias + " of " + function);
            return 0;
        }
    }
}
