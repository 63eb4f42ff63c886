package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.local.DataDir;
import dev.flowfn.deploy.local.LocalPlatform;
import dev.flowfn.deploy.local.LocalSettings;
import dev.flowfn.deploy.local.engines.ChildJvm;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.kafka.KafkaClientFailure;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run a real single-node Flowfn: Kafka (KRaft), an S3 object store, the Flowfn job on a Flink"
                    + " MiniCluster, the control server, an MQTT broker and the connectors (Kafka Connect). Prints every endpoint; Ctrl-C stops it;"
                    + " the next start on the same data folder continues where it stopped.",
            "Point any part at an existing service instead with --kafka (or --kafka-config), --s3-endpoint,"
                    + " --flink or --mqtt. With --flink the job runs on that Flink cluster instead of a"
                    + " MiniCluster: Ctrl-C stops it with a savepoint, the next start resubmits it from there.",
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

    @Mixin KafkaOptions kafka;

    @Mixin S3Options s3;

    @Mixin JobConfOptions job;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallel instances of the job; default ${DEFAULT-VALUE}")
    int parallelism;

    @Mixin FlinkOptions flink;

    @Option(
            names = "--mqtt",
            paramLabel = "URL",
            description =
                    "Subscribe to this MQTT broker (mosquitto, EMQX, HiveMQ...) instead of starting one:"
                            + " tcp://HOST:PORT or ssl://HOST:PORT; a user name and password come from"
                            + " $FLOWFN_MQTT_USERNAME and $FLOWFN_MQTT_PASSWORD")
    String mqtt;

    @Mixin S3SourceOptions s3Sources;

    private dev.flowfn.deploy.local.S3PulledSources s3Sources() {
        return s3Sources.sources(
                s3.endpoint != null,
                "--s3-listen-bucket and --s3-poll read an external store: add --s3-endpoint URL"
                        + " (the store Flowfn starts itself already sends notifications)");
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
        String s3Endpoint = s3.optional().orElse(null);
        String accessKey = null;
        String secretKey = null;
        if (s3Endpoint != null) {
            S3Credentials keys = S3Options.credentials(System.getenv());
            accessKey = keys.accessKey();
            secretKey = keys.secretKey();
        }
        LocalSettings settings =
                new LocalSettings(
                        DataDir.resolve(dataDir),
                        kafka.optional().orElse(null),
                        s3Endpoint,
                        accessKey,
                        secretKey,
                        job.checkpointIntervalOrDefault(),
                        parallelism,
                        job.conf(),
                        flink.optional().map(URI::toString).orElse(null),
                        flink.savepointDir().orElse(null),
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
                                .map(m -> m + kafka.source())
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

    private void checkFlinkOptions() {
        Optional<URI> flinkUrl = flink.optional();
        if (flink.savepointDir().isPresent() && flinkUrl.isEmpty()) {
            throw new UsageException("--flink-savepoint-dir only applies with --flink URL");
        }
        String host = flinkUrl.map(URI::getHost).orElse(null);
        boolean sameMachine =
                host == null
                        || host.equals("localhost")
                        || host.startsWith("127.")
                        || host.equals("[::1]");
        if (!sameMachine && (!kafka.given() || s3.endpoint == null)) {
            err().println(
                            "warning: the Kafka broker and object store that flowfn local starts listen on 127.0.0.1:"
                                    + " a Flink cluster on another machine cannot reach them; pass --kafka and --s3-endpoint too");
        }
        if (!sameMachine && flink.savepointDir().isEmpty()) {
            err().println(
                            "warning: savepoints and checkpoints go to the data folder on this machine;"
                                    + " pass --flink-savepoint-dir with a location the whole cluster can write");
        }
    }
}
