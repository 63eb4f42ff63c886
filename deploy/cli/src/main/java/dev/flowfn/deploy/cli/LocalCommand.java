package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.local.DataDir;
import dev.flowfn.deploy.local.LocalPlatform;
import dev.flowfn.deploy.local.LocalSettings;
import dev.flowfn.deploy.local.engines.ChildJvm;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.kafka.KafkaClientFailure;
import dev.flowfn.schemas.FunctionSpecRules;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run a real single-node Flowfn: Kafka (KRaft), an S3 object store, the Flowfn job on a Flink"
                    + " MiniCluster, the control server, an MQTT broker and the connectors (Kafka Connect). Prints every endpoint; Ctrl-C stops it;"
                    + " the next start on the same data folder continues where it stopped.",
            "Point any part at an existing service instead with --kafka (or --kafka-config), --s3-endpoint, --flink or --mqtt.",
            "Bucket notifications (s3: triggers) arrive at POST <gateway>/hooks/s3 in MinIO's webhook"
                    + " format with the token in s3-webhook-token of the data folder; the local store"
                    + " sends them itself, an external MinIO is configured with that URL and token."
        })
final class LocalCommand extends CliCommand implements Callable<Integer> {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where state lives (default: $FLOWFN_DATA_DIR, else ~/.flowfn)")
    Path dataDir;

    @Option(
            names = "--kafka",
            paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of starting a broker")
    String kafka;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Use the Kafka cluster this client properties file describes (bootstrap.servers and"
                            + " any client property: SASL, TLS...) instead of starting a broker; the job,"
                            + " the control server and the connectors all use it")
    Path kafkaConfig;

    @Option(
            names = "--s3-endpoint",
            paramLabel = "URL",
            description =
                    "Use this S3 / MinIO endpoint for function code; the keys come from $FLOWFN_S3_ACCESS_KEY"
                            + " and $FLOWFN_S3_SECRET_KEY")
    String s3Endpoint;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            description =
                    "How often results are committed (exactly-once latency); default ${DEFAULT-VALUE}")
    String checkpointInterval;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallel instances of the job; default ${DEFAULT-VALUE}")
    int parallelism;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description =
                    "A job option (see README, Configuration), e.g. --conf flowfn.metering.window=10s (repeatable)")
    java.util.Map<String, String> jobConf = new java.util.LinkedHashMap<>();

    @Option(
            names = "--flink",
            paramLabel = "URL",
            description =
                    "Run the job on this Flink 2.2 cluster (its JobManager's REST URL, e.g. http://jobmanager:8081)"
                            + " instead of an in-process MiniCluster; Ctrl-C stops it with a savepoint, the next start resubmits"
                            + " it from there")
    String flinkUrl;

    @Option(
            names = "--flink-savepoint-dir",
            paramLabel = "URI",
            description =
                    "With --flink: where the job's savepoints go, a directory every JobManager and TaskManager can"
                            + " write (e.g. s3://bucket/flowfn/savepoints or a shared file:///...); checkpoints then go to the"
                            + " cluster's own execution.checkpointing.dir. Default: DATA_DIR/flink/savepoints (and checkpoints),"
                            + " right only when the cluster runs on this machine")
    String flinkSavepointDir;

    @Option(
            names = "--mqtt",
            paramLabel = "URL",
            description =
                    "Subscribe to this MQTT broker (mosquitto, EMQX, HiveMQ...) instead of starting one:"
                            + " tcp://HOST:PORT or ssl://HOST:PORT; a user name and password come from"
                            + " $FLOWFN_MQTT_USERNAME and $FLOWFN_MQTT_PASSWORD")
    String mqtt;

    @Option(
            names = "--s3-listen-bucket",
            paramLabel = "BUCKET[/PREFIX]",
            description =
                    "With --s3-endpoint of a MinIO server that cannot reach Flowfn: take this bucket's"
                            + " uploads and deletions from MinIO's listen API (repeatable)")
    java.util.List<String> s3Listen = new java.util.ArrayList<>();

    @Option(
            names = "--s3-poll",
            paramLabel = "BUCKET[/PREFIX]",
            description =
                    "With --s3-endpoint of a store without bucket notifications: list this bucket"
                            + " (prefix) every 10 s and emit each new or changed object once (repeatable)")
    java.util.List<String> s3Poll = new java.util.ArrayList<>();

    private dev.flowfn.deploy.local.S3PulledSources s3Sources() {
        if ((!s3Listen.isEmpty() || !s3Poll.isEmpty()) && s3Endpoint == null) {
            throw new CliException(
                    "--s3-listen-bucket and --s3-poll read an external store: add --s3-endpoint URL"
                            + " (the store Flowfn starts itself already sends notifications)");
        }
        try {
            return new dev.flowfn.deploy.local.S3PulledSources(
                    s3Listen.stream()
                            .map(
                                    v ->
                                            dev.flowfn.deploy.local.S3PulledSources.Location.parse(
                                                    "--s3-listen-bucket", v))
                            .toList(),
                    s3Poll.stream()
                            .map(
                                    v ->
                                            dev.flowfn.deploy.local.S3PulledSources.Location.parse(
                                                    "--s3-poll", v))
                            .toList());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (mqtt != null && !mqtt.matches("(tcp|mqtt|ssl|mqtts)://[^/:@]+:\\d+/?")) {
            throw new CliException(
                    "--mqtt must be tcp://HOST:PORT (or ssl://HOST:PORT for TLS), like"
                            + " tcp://127.0.0.1:1883 (got '"
                            + mqtt
                            + "'); credentials go in $FLOWFN_MQTT_USERNAME and $FLOWFN_MQTT_PASSWORD");
        }
        checkFlinkOptions();
        String accessKey = null;
        String secretKey = null;
        if (s3Endpoint != null) {
            accessKey = System.getenv("FLOWFN_S3_ACCESS_KEY");
            secretKey = System.getenv("FLOWFN_S3_SECRET_KEY");
            if (accessKey == null || secretKey == null) {
                throw new CliException(
                        "--s3-endpoint needs FLOWFN_S3_ACCESS_KEY and FLOWFN_S3_SECRET_KEY in the environment");
            }
        }
        LocalSettings settings =
                new LocalSettings(
                        DataDir.resolve(dataDir),
                        externalKafka(),
                        s3Endpoint,
                        accessKey,
                        secretKey,
                        FunctionSpecRules.parseDuration(checkpointInterval),
                        parallelism,
                        jobConf,
                        flinkUrl,
                        flinkSavepointDir,
                        mqtt,
                        s3Sources());
        PrintWriter out = out();
        out.println("Starting Flowfn in " + settings.dataDir().root());
        long start = System.nanoTime();
        LocalPlatform platform;
        try {
            platform = LocalPlatform.start(settings, out);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(LocalCommand.class).error("Flowfn did not start", e);
            String why = e.getMessage();
            if (settings.externalKafka() != null) {
                // a login refused or a failed TLS handshake names what to check in the Kafka config
                why =
                        KafkaClientFailure.explain(e, settings.externalKafka())
                                .map(m -> m + configSource())
                                .orElse(why);
            }
            throw new CliException(
                    "Flowfn did not start: "
                            + why
                            + " (logs in "
                            + settings.dataDir().logs()
                            + ")");
        }
        out.printf("Ready in %.1f s.%n", (System.nanoTime() - start) / 1e9);
        platform.printEndpoints();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown =
                new Thread(
                        () -> {
                            platform.close();
                            stopped.countDown();
                        },
                        "flowfn-shutdown");
        ChildJvm.stopAfter(stopped);
        Runtime.getRuntime().addShutdownHook(shutdown);
        stopped.await();
        return 0;
    }

    /** Where the Kafka client properties came from, for messages that name one to check. */
    private String configSource() {
        return kafkaConfig == null ? "" : " (in --kafka-config " + kafkaConfig + ")";
    }

    /** The external Kafka of --kafka or --kafka-config, or null to start a broker. */
    private KafkaClientConfig externalKafka() {
        if (kafka != null && kafkaConfig != null) {
            throw new CliException(
                    "give either --kafka or --kafka-config; put bootstrap.servers in the file");
        }
        if (kafkaConfig != null) {
            try {
                return KafkaClientConfig.load(kafkaConfig);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
        }
        return kafka == null ? null : KafkaClientConfig.of(kafka);
    }

    private void checkFlinkOptions() {
        if (flinkSavepointDir != null && flinkUrl == null) {
            throw new CliException("--flink-savepoint-dir only applies with --flink URL");
        }
        if (flinkUrl != null && !flinkUrl.matches("https?://\\S+")) {
            throw new CliException(
                    "--flink must be the REST URL of a Flink JobManager, like http://jobmanager:8081"
                            + " (got '"
                            + flinkUrl
                            + "')");
        }
        if (flinkSavepointDir != null && !flinkSavepointDir.matches("[a-z][a-z0-9+.-]*://.+")) {
            throw new CliException(
                    "--flink-savepoint-dir must be a URI the cluster can write, like"
                            + " file:///shared/flowfn/savepoints or s3://bucket/flowfn/savepoints (got '"
                            + flinkSavepointDir
                            + "')");
        }
        String host = flinkUrl == null ? null : java.net.URI.create(flinkUrl).getHost();
        boolean sameMachine =
                host == null
                        || host.equals("localhost")
                        || host.startsWith("127.")
                        || host.equals("[::1]");
        if (!sameMachine && (kafka == null && kafkaConfig == null || s3Endpoint == null)) {
            err().println(
                            "warning: the Kafka broker and object store that flowfn local starts listen on 127.0.0.1:"
                                    + " a Flink cluster on another machine cannot reach them; pass --kafka and --s3-endpoint too");
        }
        if (!sameMachine && flinkSavepointDir == null) {
            err().println(
                            "warning: savepoints and checkpoints go to the data folder on this machine;"
                                    + " pass --flink-savepoint-dir with a location the whole cluster can write");
        }
    }
}
