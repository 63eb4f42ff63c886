package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.connect.ConnectRestClient;
import dev.flowfn.deploy.connect.ConnectRestClient.Status;
import dev.flowfn.deploy.local.ClusterConnectors;
import dev.flowfn.deploy.local.S3PulledSources;
import dev.flowfn.deploy.local.engines.ConnectWorkerProcess.Connector;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.InvalidSpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flowfn connectors deploy}: creates or updates Flowfn's trigger connectors on a distributed
 * Kafka Connect cluster through its REST API, then waits until they and their tasks run. Running it
 * again updates them in place (the timer's source offsets stay in the cluster's offset topic).
 */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Install or update the trigger connectors (timer; MQTT with --mqtt; S3 listen and poll"
                    + " sources with --s3-endpoint and --s3-listen-bucket / --s3-poll) on a Kafka"
                    + " Connect cluster through its REST API, and wait until they run.",
            "Secrets never travel in a config (Connect shows configs on its REST API): the MQTT"
                    + " login (--mqtt-login) and the S3 secret key are named as ${env:...}, so every"
                    + " worker needs FLOWFN_MQTT_USERNAME, FLOWFN_MQTT_PASSWORD and"
                    + " FLOWFN_S3_SECRET_KEY in its environment. The S3 access key comes from"
                    + " $FLOWFN_S3_ACCESS_KEY here.",
            "The workers need the Flowfn connectors plugin on their plugin.path"
                    + " (connectors/target/connect-plugin/flowfn-connectors.jar). When --kafka-config"
                    + " has client properties (SASL, TLS), each worker needs them in the environment"
                    + " variable "
                    + ClusterConnectors.KAFKA_PROPERTIES_ENV
                    + " and config.providers=env (EnvVarConfigProvider): they never travel in a"
                    + " connector's config, which Connect shows on its REST API.",
            "Example: flowfn connectors deploy --connect http://connect:8083 --kafka kafka:9092"
                    + " --mqtt tcp://mqtt:1883"
        })
final class ConnectorsDeployCommand extends CliCommand implements Callable<Integer> {

    @Option(
            names = "--connect",
            required = true,
            paramLabel = "URL",
            description = "REST URL of a worker of the Connect cluster, like http://connect:8083")
    URI connect;

    @Mixin KafkaOptions kafkaOptions;

    @Option(
            names = "--mqtt",
            paramLabel = "URL",
            description = "MQTT broker for device triggers (tcp://HOST:PORT, ssl://HOST:PORT)")
    String mqtt;

    @Option(
            names = "--mqtt-login",
            description =
                    "The MQTT broker needs a login: every worker has FLOWFN_MQTT_USERNAME and"
                            + " FLOWFN_MQTT_PASSWORD in its environment; the connector's config names"
                            + " them (${env:...}), never their values")
    boolean mqttLogin;

    @Mixin S3Options s3;

    @Mixin S3SourceOptions s3Sources;

    /** Where the S3 sources' access key comes from; tests set their own. */
    Map<String, String> env = System.getenv();

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "90s",
            description = "How long to wait for the connectors to run; default ${DEFAULT-VALUE}")
    String timeout;

    @Override
    public Integer call() throws Exception {
        KafkaClientConfig kafka = kafkaOptions.required();
        Duration wait = waitFor(timeout);
        if (mqtt != null && !mqtt.matches("(tcp|ssl)://[^\\s/:]+:\\d{1,5}")) {
            throw new UsageException(
                    "--mqtt must be tcp://HOST:PORT or ssl://HOST:PORT (got '" + mqtt + "')");
        }
        PrintWriter err = err();
        ConnectRestClient client = new ConnectRestClient(connect);
        if (mqttLogin && mqtt == null) {
            throw new UsageException("--mqtt-login goes with --mqtt URL");
        }
        S3PulledSources sources =
                s3Sources.sources(
                        s3.optional().isPresent(),
                        "--s3-listen-bucket and --s3-poll read a store: add --s3-endpoint URL");
        String accessKey = null;
        if (!sources.isEmpty()) {
            accessKey = env.get(S3Options.ACCESS_KEY_ENV);
            if (accessKey == null || accessKey.isBlank()) {
                throw new UsageException(
                        "set "
                                + S3Options.ACCESS_KEY_ENV
                                + " to the access key of --s3-endpoint: the S3 sources' config"
                                + " holds it (every worker needs "
                                + S3Options.SECRET_KEY_ENV
                                + " in its environment for the secret)");
            }
        }
        List<Connector> connectors =
                ClusterConnectors.declared(kafka, mqtt, mqttLogin, sources, s3.endpoint, accessKey);
        try {
            err.println(
                    "Kafka Connect "
                            + client.version()
                            + " at "
                            + client.url()
                            + "; checking its plugins...");
            requirePlugins(client.connectorClasses(), connectors);
            if (ClusterConnectors.needsKafkaProperties(kafka)) {
                err.println(
                        "The connectors' Kafka clients take their properties from "
                                + ClusterConnectors.KAFKA_PROPERTIES_ENV
                                + " on each worker (with config.providers=env); they are not sent.");
            }
            for (Connector c : connectors) {
                boolean created = client.put(c.name(), c.config());
                err.println((created ? "Created " : "Updated ") + c.name());
            }
            for (Connector c : connectors) {
                Status status = awaitRunning(client, c.name(), wait);
                out().println(
                                c.name()
                                        + " RUNNING on "
                                        + status.workerId()
                                        + " ("
                                        + status.tasks().size()
                                        + " task"
                                        + (status.tasks().size() == 1 ? "" : "s")
                                        + ")");
            }
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
        return 0;
    }

    private static Duration waitFor(String text) {
        try {
            return FunctionSpecRules.parseDuration(text);
        } catch (InvalidSpecException e) {
            throw new UsageException("--timeout: " + e.getMessage());
        }
    }

    private static void requirePlugins(Set<String> classes, List<Connector> connectors) {
        for (Connector c : connectors) {
            String type = c.config().get("connector.class");
            if (!classes.contains(type)) {
                throw new CliException(
                        "the Connect cluster has no "
                                + type
                                + ": put the Flowfn connectors plugin"
                                + " (connectors/target/connect-plugin/flowfn-connectors.jar, built by"
                                + " ./flowfn) in every worker's plugin.path and restart them");
            }
        }
    }

    private Status awaitRunning(ConnectRestClient client, String name, Duration wait)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Status status = null;
        while (System.nanoTime() < deadline) {
            try {
                status = client.status(name);
            } catch (IOException notYet) {
                // a new connector has no status until the cluster's leader has started it
            }
            if (status != null && status.running()) {
                return status;
            }
            if (status != null && status.failed()) {
                throw new CliException(
                        name
                                + " failed on the Connect cluster: "
                                + status.reason()
                                + hint(status.reason()));
            }
            Thread.sleep(250);
        }
        throw new CliException(
                name
                        + " is not running after "
                        + wait.toSeconds()
                        + " s ("
                        + (status == null ? "no status yet" : status.state() + " " + status.tasks())
                        + "); check the Connect workers' logs, or wait longer with --timeout");
    }

    private static String hint(String reason) {
        if (reason.contains(ClusterConnectors.KAFKA_PROPERTIES_ENV)
                || reason.contains("env:")
                || reason.contains("config provider")) {
            return " (each worker needs "
                    + ClusterConnectors.KAFKA_PROPERTIES_ENV
                    + " and config.providers=env with"
                    + " config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider)";
        }
        return "";
    }
}
