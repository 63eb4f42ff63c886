package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.AlertView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description =
                "Alerts that fired or resolved. Rules are part of a function's spec: deploy --alert"
                        + " 'error-rate>5%%/5m' --alert-webhook URL.")
final class AlertsCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Option(
            names = "--since",
            defaultValue = "24h",
            description = "How far back; default ${DEFAULT-VALUE}")
    String since;

    @Override
    public Integer call() {
        List<AlertView> alerts = server.client().alerts(since);
        if (alerts.isEmpty()) {
            out().println("No alerts in the last " + since + ".");
        }
        for (AlertView a : alerts) {
            out().printf(
                            "%s  %-8s %-20s %-24s value %s%n",
                            a.windowEnd(), a.state(), a.function(), a.rule(), a.value());
        }
        return 0;
    }
}
