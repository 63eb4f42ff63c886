package dev.flowfn.deploy.cli;

import java.util.List;
import java.util.Map;
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
        List<Map<String, Object>> alerts = server.client().alerts(since);
        if (alerts.isEmpty()) {
            out().println("No alerts in the last " + since + ".");
        }
        for (Map<String, Object> a : alerts) {
            out().printf(
                            "%s  %-8s %-20s %-24s value %s%n",
                            a.get("windowEnd"),
                            a.get("state"),
                            a.get("function"),
                            a.get("rule"),
                            a.get("value"));
        }
        return 0;
    }
}
