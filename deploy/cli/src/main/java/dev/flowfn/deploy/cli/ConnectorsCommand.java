package dev.flowfn.deploy.cli;

import picocli.CommandLine.Command;

/** {@code flowfn connectors}: the trigger connectors on a Kafka Connect cluster. */
@Command(
        name = "connectors",
        mixinStandardHelpOptions = true,
        description = {
            "The trigger connectors (timer, MQTT) on a Kafka Connect cluster of your own."
                    + " flowfn local runs them itself; this is for a production layout."
        },
        subcommands = {ConnectorsDeployCommand.class})
final class ConnectorsCommand extends CliCommand implements Runnable {

    @Override
    public void run() {
        spec.commandLine().usage(out());
    }
}
