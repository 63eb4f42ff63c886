package dev.flowfn.deploy.local;

import dev.flowfn.deploy.control.ControlServer;
import dev.flowfn.deploy.control.ControlSettings;
import dev.flowfn.deploy.flink.RemoteFlinkJob;
import dev.flowfn.deploy.local.engines.ConnectWorkerProcess;
import dev.flowfn.deploy.local.engines.KafkaBrokerProcess;
import dev.flowfn.deploy.local.engines.MqttBrokerProcess;
import dev.flowfn.deploy.local.engines.PersistedPorts;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.deploy.local.engines.S3StoreProcess;
import dev.flowfn.job.local.EmbeddedFlink;
import dev.flowfn.schemas.SchemaTopic;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Flowfn: Kafka (KRaft, child JVM), an S3 store (S3Proxy, child JVM), the Flowfn
 * job on a Flink MiniCluster (or on an external Flink cluster, {@link RemoteFlinkJob}), the control
 * server, an MQTT broker (Moquette, child JVM) and a Kafka Connect worker (child JVM) running the
 * connectors {@link LocalConnectors} declares. State lives in the data folder; a restart restores
 * the job from its newest checkpoint or savepoint.
 *
 * <p>{@link #start} and {@link #close} are called from one thread (main, or the shutdown hook).
 */
public final class LocalPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
    private static final int STEPS = 7;

    private final LocalSettings settings;
    private final PrintStream out;
    private KafkaBrokerProcess kafka;
    private S3StoreProcess s3;
    private EmbeddedFlink flink;
    private JobID job;
    private RemoteFlinkJob remote;
    private ControlServer control;
    private MqttBrokerProcess mqttBroker;
    private ConnectWorkerProcess connect;
    private CompletableFuture<List<String>> connectorEngines;
    private String mqttUrl;
    private String kafkaBootstrap;
    private String s3Endpoint;
    private S3Credentials s3Credentials;
    private String restoredFrom;
    private String webhookToken;
    private ControlSettings controlSettings;
    private String webhookUrl;

    private LocalPlatform(LocalSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static LocalPlatform start(LocalSettings settings, PrintStream out) throws Exception {
        LocalPlatform platform = new LocalPlatform(settings, out);
        try {
            platform.startAll();
            return platform;
        } catch (Exception e) {
            platform.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        DataDir dir = settings.dataDir();
        Files.createDirectories(dir.logs());
        PersistedPorts ports =
                PersistedPorts.loadOrAllocate(dir.ports(), "control", "gateway", "flink-rest");
        // The gateway port is persisted, so the store can be told where to send bucket
        // notifications before the gateway listens: its durable queue holds them until then.
        webhookToken = WebhookToken.loadOrCreate(dir.s3WebhookToken());
        webhookUrl = "http://127.0.0.1:" + ports.get("gateway") + "/hooks/s3";

        step(1, "Kafka broker (KRaft)");
        if (settings.externalKafka() != null) {
            kafkaBootstrap = settings.externalKafka();
            done("external, " + kafkaBootstrap);
        } else {
            long t = System.nanoTime();
            kafka = KafkaBrokerProcess.start(dir.kafka(), dir.logs().resolve("kafka.log"));
            kafkaBootstrap = kafka.bootstrapServers();
            done(kafkaBootstrap + since(t));
        }

        step(2, "object store (S3 API)");
        if (settings.externalS3Endpoint() != null) {
            s3Endpoint = settings.externalS3Endpoint();
            s3Credentials =
                    new S3Credentials(
                            settings.externalS3AccessKey(), settings.externalS3SecretKey());
            done("external, " + s3Endpoint);
        } else {
            long t = System.nanoTime();
            s3Credentials = S3Credentials.loadOrCreate(dir.s3Credentials());
            s3 =
                    S3StoreProcess.start(
                            dir.s3(),
                            s3Credentials,
                            dir.logs().resolve("s3.log"),
                            new S3StoreProcess.Notifications(
                                    webhookUrl,
                                    webhookToken,
                                    java.util.Set.of(ControlSettings.DEFAULT_CODE_BUCKET)));
            s3Endpoint = s3.endpoint();
            done(s3Endpoint + since(t));
        }

        step(3, "topics and schemas");
        long t3 = System.nanoTime();
        TopicSetup.ensure(kafkaBootstrap);
        new SchemaTopic(kafkaBootstrap).publishAll();
        done("ready" + since(t3));
        // the MQTT broker and the Connect worker need only Kafka: they start beside the job
        connectorEngines = new CompletableFuture<>();
        Thread engines =
                new Thread(
                        () -> {
                            try {
                                connectorEngines.complete(startConnectorEngines());
                            } catch (Throwable e) {
                                connectorEngines.completeExceptionally(e);
                            }
                        },
                        "flowfn-start-connectors");
        engines.setDaemon(true);
        engines.start();

        if (settings.flinkUrl() != null) {
            step(4, "Flink job (external Flink at " + settings.flinkUrl() + ")");
            long t4 = System.nanoTime();
            LocalJobConfiguration job = jobConfiguration();
            remote =
                    RemoteFlinkJob.start(
                            job.remoteSettings(),
                            job.remoteProgramArgs(),
                            job.dataFolderSnapshot());
            done("running job " + remote.jobId() + ", " + remote.startedFrom() + since(t4));
        } else {
            startMiniCluster(ports.get("flink-rest"));
        }

        step(5, "control server");
        long t5 = System.nanoTime();
        controlSettings =
                new ControlSettings(
                        kafkaBootstrap,
                        s3Endpoint,
                        s3Credentials.accessKey(),
                        s3Credentials.secretKey(),
                        ControlSettings.DEFAULT_CODE_BUCKET,
                        ClientConfigFile.tokenOrNew(dir.clientConfig()),
                        "127.0.0.1",
                        ports.get("control"),
                        ports.get("gateway"),
                        ControlSettings.DEFAULT_MAX_BODY_BYTES,
                        settings.checkpointInterval().multipliedBy(3).plusSeconds(10),
                        webhookToken);
        startControlServer();
        done(control.url() + since(t5));

        startConnectors();
    }

    /** Steps 6 and 7: waits for the engines started beside the job and prints how they came up. */
    private void startConnectors() throws Exception {
        step(6, "MQTT broker");
        List<String> lines;
        try {
            lines = connectorEngines.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
        done(lines.get(0));
        step(7, "connectors (Kafka Connect)");
        done(lines.get(1));
    }

    /**
     * Starts the MQTT broker (unless --mqtt) and the Connect worker with {@link LocalConnectors};
     * returns what steps 6 and 7 print. Runs on its own thread while the job starts.
     */
    private List<String> startConnectorEngines() throws Exception {
        DataDir dir = settings.dataDir();
        String brokerLine;
        if (settings.externalMqtt() != null) {
            mqttUrl = settings.externalMqtt();
            brokerLine = "external, " + mqttUrl;
        } else {
            long t = System.nanoTime();
            mqttBroker = MqttBrokerProcess.start(dir.mqtt(), dir.logs().resolve("mqtt.log"));
            mqttUrl = mqttBroker.url();
            brokerLine = mqttUrl + since(t);
        }
        long t = System.nanoTime();
        var connectors =
                LocalConnectors.declared(
                        kafkaBootstrap,
                        mqttUrl,
                        dir.connect().resolve("mqtt-state"),
                        System.getenv(),
                        settings.s3Sources(),
                        s3Endpoint,
                        s3Credentials.accessKey());
        Map<String, String> secrets = new LinkedHashMap<>(LocalConnectors.secrets(System.getenv()));
        if (!settings.s3Sources().isEmpty()) {
            // the S3 sources read the external store with the key flowfn local was given
            secrets.put(LocalConnectors.S3_SECRET_ENV, s3Credentials.secretKey());
        }
        connect =
                ConnectWorkerProcess.start(
                        dir.connect(),
                        kafkaBootstrap,
                        connectors,
                        secrets,
                        dir.logs().resolve("connect.log"));
        return List.of(
                brokerLine,
                connectors.stream().map(ConnectWorkerProcess.Connector::name).toList()
                        + " running, REST "
                        + connect.restUrl()
                        + since(t));
    }

    /** Starts the control server (and gateway) on the persisted ports. */
    void startControlServer() throws Exception {
        control = ControlServer.start(controlSettings);
        new ClientConfigFile(control.url(), controlSettings.token())
                .write(settings.dataDir().clientConfig());
    }

    /**
     * Stops the control server and gateway, as a crash of that service would (tests: bucket
     * notifications wait in the store's queue meanwhile).
     */
    void stopControlServer() throws Exception {
        ControlServer c = control;
        control = null;
        if (c != null) {
            c.close();
        }
    }

    private void startMiniCluster(int restPort) throws Exception {
        DataDir dir = settings.dataDir();
        step(4, "Flink job (MiniCluster)");
        long t4 = System.nanoTime();
        flink =
                EmbeddedFlink.start(
                        jobConfiguration().miniCluster(restPort), settings.parallelism() * 2);
        Optional<Path> restore = RestorePoint.latest(dir.savepoints(), dir.checkpoints());
        restoredFrom = restore.map(Path::toString).orElse(null);
        job = flink.submitFlowfn(restore.map(p -> p.toUri().toString()).orElse(null));
        flink.awaitRunning(job, Duration.ofSeconds(120));
        done(
                "running"
                        + (restoredFrom == null
                                ? ", fresh state"
                                : ", restored from " + dir.root().relativize(Path.of(restoredFrom)))
                        + since(t4));
    }

    private LocalJobConfiguration jobConfiguration() {
        return new LocalJobConfiguration(settings, kafkaBootstrap, s3Endpoint, s3Credentials);
    }

    /** Prints where everything is. Never a secret: those stay in files readable by the owner. */
    public void printEndpoints() throws Exception {
        DataDir dir = settings.dataDir();
        out.println();
        out.println("Flowfn is running. Data folder: " + dir.root());
        out.println(
                "  control API   " + control.url() + "   (token in " + dir.clientConfig() + ")");
        out.println("  HTTP gateway  " + control.gatewayUrl() + "   (http: triggers)");
        out.println("  metrics       " + control.url() + "/metrics   (Prometheus)");
        out.println("  Kafka         " + kafkaBootstrap);
        out.println(
                "  MQTT broker   "
                        + mqttUrl
                        + (mqttBroker != null ? "   (Moquette, MQTT 3.1.1, anonymous)" : "")
                        + "   (raw messages on Kafka topic mqtt.raw)");
        out.println("  Connect REST  " + connect.restUrl());
        out.println(
                "  S3 endpoint   "
                        + s3Endpoint
                        + "   access key "
                        + s3Credentials.accessKey()
                        + (s3 != null ? "   (secret in " + dir.s3Credentials() + ")" : ""));
        out.println(
                "  S3 events     POST "
                        + webhookUrl
                        + "   (MinIO webhook format; auth_token in "
                        + dir.s3WebhookToken()
                        + (s3 != null ? "; the local store sends them" : "")
                        + ")");
        if (s3 != null) {
            out.println("Use the store with any S3 client, e.g. the AWS CLI:");
            out.println("  export AWS_ACCESS_KEY_ID=" + s3Credentials.accessKey());
            out.println(
                    "  export AWS_SECRET_ACCESS_KEY=\"$(sed -n 's/^secret\\.key=//p' '"
                            + dir.s3Credentials()
                            + "')\"");
            out.println("  aws --endpoint-url " + s3Endpoint + " s3 mb s3://photos");
        }
        out.println(
                "  Flink web UI  "
                        + (remote != null
                                ? remote.webUi()
                                        + "   (external cluster; job "
                                        + remote.jobId()
                                        + ")"
                                : flink.restAddress()));
        out.println("  logs          " + dir.logs());
        out.println(
                "Try: ./flowfn deploy --name upper --jar examples/hello/target/hello.jar"
                        + " --handler dev.flowfn.examples.hello.Upper --trigger kafka:topic=words");
        out.println("Press Ctrl-C to stop; state is kept for the next start.");
        out.flush();
    }

    public String controlUrl() {
        return control.url();
    }

    public String gatewayUrl() {
        return control.gatewayUrl();
    }

    /** The embedded Flink cluster and the job running on it (tests inject failures through it). */
    EmbeddedFlink flink() {
        return flink;
    }

    JobID job() {
        return job;
    }

    /**
     * The job on the external Flink cluster ({@code --flink}), or null when it runs on the
     * MiniCluster.
     */
    public RemoteFlinkJob remoteJob() {
        return remote;
    }

    /** The local store's endpoint, or the external one ({@code --s3-endpoint}). */
    public String s3Endpoint() {
        return s3Endpoint;
    }

    public S3Credentials s3Credentials() {
        return s3Credentials;
    }

    /** Where bucket notifications are received ({@code .../hooks/s3}). */
    public String s3WebhookUrl() {
        return webhookUrl;
    }

    /** The MQTT broker the connector subscribes to ({@code tcp://127.0.0.1:PORT} when embedded). */
    public String mqttUrl() {
        return mqttUrl;
    }

    /** The Connect worker (tests kill and restart it). */
    public ConnectWorkerProcess connectWorker() {
        return connect;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    @Override
    public void close() {
        out.println("Stopping Flowfn...");
        if (connectorEngines != null) {
            try { // a failed start elsewhere: let the engines finish starting, then stop them
                connectorEngines.get(
                        ConnectWorkerProcess.READY_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("connector engines did not start", e);
            }
        }
        closeQuietly("Kafka Connect worker", connect);
        closeQuietly("MQTT broker", mqttBroker);
        closeQuietly("control server", control);
        if (remote != null) {
            try {
                out.println("  job stopped with savepoint " + remote.stop(Duration.ofSeconds(60)));
            } catch (Exception e) {
                LOG.warn(
                        "stop with savepoint failed on {}; the job was cancelled",
                        settings.flinkUrl(),
                        e);
                out.println(
                        "  job cancelled without a savepoint ("
                                + e.getMessage()
                                + "); the next start restores from its last checkpoint");
            }
        }
        if (flink != null && job != null) {
            try {
                String savepoint =
                        flink.stopWithSavepoint(
                                job,
                                settings.dataDir().savepoints().toUri().toString(),
                                Duration.ofSeconds(60));
                out.println("  job stopped with savepoint " + savepoint);
            } catch (Exception e) {
                LOG.warn(
                        "stop with savepoint failed; the next start restores from the last checkpoint",
                        e);
                out.println(
                        "  job stopped without a savepoint ("
                                + e.getClass().getSimpleName()
                                + "); the next start restores from the last checkpoint");
            }
        }
        closeQuietly("Flink", flink);
        closeQuietly("object store", s3);
        closeQuietly("Kafka broker", kafka);
        out.println("Stopped.");
        out.flush();
    }

    private void closeQuietly(String what, AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("could not stop {} cleanly", what, e);
        }
    }

    private void step(int n, String what) {
        out.print("[" + n + "/" + STEPS + "] " + what + " ... ");
        out.flush();
    }

    private void done(String text) {
        out.println(text);
        out.flush();
    }

    private static String since(long startNanos) {
        return String.format(" (%.1f s)", (System.nanoTime() - startNanos) / 1e9);
    }
}
