package dev.flowfn.deploy.local;

import dev.flowfn.deploy.control.ControlServer;
import dev.flowfn.deploy.control.ControlSettings;
import dev.flowfn.deploy.flink.RemoteFlinkJob;
import dev.flowfn.deploy.local.LocalObjectStore.Webhook;
import dev.flowfn.deploy.local.engines.ConnectWorkerProcess;
import dev.flowfn.deploy.local.engines.PersistedPorts;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.job.local.EmbeddedFlink;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.kafka.SchemaTopic;
import java.io.PrintWriter;
import java.nio.file.Files;
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
 * <p>{@link #start} starts the services in order, printing a {@link StartupReport}; {@link #close}
 * stops them in reverse ({@link RunningServices}). Child engines also exit by themselves if this
 * JVM dies (see {@code ChildJvm}).
 *
 * <p>{@link #start} and {@link #close} are called from one thread (main, or the shutdown hook).
 */
public final class LocalPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
    private static final int STEPS = 7;

    private final LocalSettings settings;
    private final PrintWriter out;
    private final RunningServices running;
    private final LocalKafka kafka;
    private final LocalObjectStore store;
    private final Webhook webhook;
    private final LocalFlinkJob flinkJob;
    private final ControlSettings controlSettings;
    private final LocalConnectorEngines engines;
    private final ControlSlot control;

    private LocalPlatform(Started started) {
        this.settings = started.settings;
        this.out = started.out;
        this.running = started.running;
        this.kafka = started.kafka;
        this.store = started.store;
        this.webhook = started.webhook;
        this.flinkJob = started.flinkJob;
        this.controlSettings = started.controlSettings;
        this.engines = started.engines;
        this.control = started.control;
    }

    public static LocalPlatform start(LocalSettings settings, PrintWriter out) throws Exception {
        Started started = new Started(settings, out);
        try {
            started.startAll();
            return new LocalPlatform(started);
        } catch (Exception e) {
            started.stop();
            throw e;
        }
    }

    /**
     * The services as they come up, in order; on a failure, {@link #stop} stops what is up
     * (including the connector engines once their background start has ended).
     */
    private static final class Started {
        final LocalSettings settings;
        final PrintWriter out;
        final RunningServices running = new RunningServices();
        LocalKafka kafka;
        LocalObjectStore store;
        Webhook webhook;
        LocalFlinkJob flinkJob;
        ControlSettings controlSettings;
        final ControlSlot control = new ControlSlot();
        CompletableFuture<LocalConnectorEngines> enginesStarting;
        LocalConnectorEngines engines;

        Started(LocalSettings settings, PrintWriter out) {
            this.settings = settings;
            this.out = out;
        }

        void startAll() throws Exception {
            DataDir dir = settings.dataDir();
            Files.createDirectories(dir.logs());
            PersistedPorts ports =
                    PersistedPorts.loadOrAllocate(dir.ports(), "control", "gateway", "flink-rest");
            // The gateway port is persisted, so the store can be told where to send bucket
            // notifications before the gateway listens: its durable queue holds them until then.
            webhook =
                    new Webhook(
                            "http://127.0.0.1:" + ports.get("gateway") + "/hooks/s3",
                            WebhookToken.loadOrCreate(dir.s3WebhookToken()));
            StartupReport report = new StartupReport(out, STEPS);

            report.step(
                    "Kafka broker (KRaft)",
                    () ->
                            running.add("Kafka broker", kafka = LocalKafka.start(settings))
                                    .describe());
            report.step(
                    "object store (S3 API)",
                    () ->
                            running.add(
                                            "object store",
                                            store = LocalObjectStore.start(settings, webhook))
                                    .describe());
            report.step(
                    "topics and schemas",
                    () -> {
                        TopicSetup.ensure(kafka.client());
                        new SchemaTopic(kafka.client()).publishAll();
                        return "ready";
                    });
            // the MQTT broker and the Connect worker need only Kafka: they start beside the job
            enginesStarting =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return LocalConnectorEngines.start(
                                            settings, kafka.client(), store);
                                } catch (Exception e) {
                                    throw new java.util.concurrent.CompletionException(e);
                                }
                            },
                            task -> daemon("flowfn-start-connectors", task).start());
            report.step(
                    LocalFlinkJob.label(settings),
                    () ->
                            running.add(
                                            "Flink job",
                                            flinkJob =
                                                    LocalFlinkJob.start(
                                                            settings,
                                                            new LocalJobConfiguration(
                                                                    settings,
                                                                    kafka.client(),
                                                                    store.endpoint(),
                                                                    store.credentials()),
                                                            ports.get("flink-rest"),
                                                            out))
                                    .describe());
            controlSettings =
                    ControlSettings.builder(
                                    kafka.client(),
                                    store.endpoint(),
                                    ClientConfigFile.tokenOrNew(dir.clientConfig()))
                            .setS3Credentials(
                                    store.credentials().accessKey(),
                                    store.credentials().secretKey())
                            .setPort(ports.get("control"))
                            .setGatewayPort(ports.get("gateway"))
                            .setResultSlack(
                                    settings.checkpointInterval().multipliedBy(3).plusSeconds(10))
                            .setS3WebhookToken(webhook.token())
                            .build();
            report.step(
                    "control server",
                    () -> {
                        running.add("control server", control);
                        control.start(settings, controlSettings);
                        return control.get().url();
                    });
            engines = awaitEngines();
            running.add("connector engines", engines);
            report.stepDone("MQTT broker", engines.brokerReport());
            report.stepDone("connectors (Kafka Connect)", engines.connectReport());
        }

        private LocalConnectorEngines awaitEngines() throws Exception {
            try {
                return enginesStarting.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof java.util.concurrent.CompletionException
                        && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                throw e;
            }
        }

        /** After a failed start: lets the engines finish starting, then stops everything. */
        void stop() {
            out.println("Stopping Flowfn...");
            if (enginesStarting != null && engines == null) {
                try {
                    enginesStarting
                            .get(
                                    ConnectWorkerProcess.READY_TIMEOUT.toSeconds() + 60,
                                    TimeUnit.SECONDS)
                            .close();
                } catch (Exception e) {
                    LOG.debug("connector engines did not start", e);
                }
            }
            running.close();
            out.println("Stopped.");
            out.flush();
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * The control server, which tests stop and start again (as a crash and restart of that
     * service); closing the slot stops whichever server is in it.
     */
    private static final class ControlSlot implements AutoCloseable {
        private volatile ControlServer current;

        void start(LocalSettings settings, ControlSettings controlSettings) throws Exception {
            ControlServer server = ControlServer.start(controlSettings);
            current = server;
            new ClientConfigFile(server.url(), controlSettings.token())
                    .write(settings.dataDir().clientConfig());
        }

        ControlServer get() {
            ControlServer server = current;
            if (server == null) {
                throw new IllegalStateException("the control server is stopped");
            }
            return server;
        }

        @Override
        public void close() throws Exception {
            ControlServer server = current;
            current = null;
            if (server != null) {
                server.close();
            }
        }
    }

    /** Starts the control server (and gateway) again on the persisted ports (tests). */
    void startControlServer() throws Exception {
        control.start(settings, controlSettings);
    }

    /**
     * Stops the control server and gateway, as a crash of that service would (tests: bucket
     * notifications wait in the store's queue meanwhile).
     */
    void stopControlServer() throws Exception {
        control.close();
    }

    /** Prints where everything is. Never a secret: those stay in files readable by the owner. */
    public void printEndpoints() throws Exception {
        DataDir dir = settings.dataDir();
        ControlServer server = control.get();
        out.println();
        out.println("Flowfn is running. Data folder: " + dir.root());
        out.println("  control API   " + server.url() + "   (token in " + dir.clientConfig() + ")");
        out.println(
                "  web console   " + server.url() + "/console/   (sign in with the same token)");
        out.println("  HTTP gateway  " + server.gatewayUrl() + "   (http: triggers)");
        out.println("  metrics       " + server.url() + "/metrics   (Prometheus)");
        out.println("  Kafka         " + kafka.bootstrap());
        out.println(
                "  MQTT broker   "
                        + engines.mqttUrl()
                        + (engines.isLocalBroker() ? "   (Moquette, MQTT 3.1.1, anonymous)" : "")
                        + "   (raw messages on Kafka topic mqtt.raw)");
        out.println("  Connect REST  " + engines.connectWorker().restUrl());
        out.println(
                "  S3 endpoint   "
                        + store.endpoint()
                        + "   access key "
                        + store.credentials().accessKey()
                        + (store.isLocal() ? "   (secret in " + dir.s3Credentials() + ")" : ""));
        out.println(
                "  S3 events     POST "
                        + webhook.url()
                        + "   (MinIO webhook format; auth_token in "
                        + dir.s3WebhookToken()
                        + (store.isLocal() ? "; the local store sends them" : "")
                        + ")");
        if (store.isLocal()) {
            out.println("Use the store with any S3 client, e.g. the AWS CLI:");
            out.println("  export AWS_ACCESS_KEY_ID=" + store.credentials().accessKey());
            out.println(
                    "  export AWS_SECRET_ACCESS_KEY=\"$(sed -n 's/^secret\\.key=//p' '"
                            + dir.s3Credentials()
                            + "')\"");
            out.println("  aws --endpoint-url " + store.endpoint() + " s3 mb s3://photos");
        }
        out.println("  Flink web UI  " + flinkJob.webUi());
        out.println("  logs          " + dir.logs());
        out.println(
                "Try: ./flowfn deploy --name upper --jar examples/hello/target/hello.jar"
                        + " --handler dev.flowfn.examples.hello.Upper --trigger kafka:topic=words");
        out.println("Press Ctrl-C to stop; state is kept for the next start.");
        out.flush();
    }

    public String controlUrl() {
        return control.get().url();
    }

    public String gatewayUrl() {
        return control.get().gatewayUrl();
    }

    /** The embedded Flink cluster and the job running on it (tests inject failures through it). */
    EmbeddedFlink flink() {
        return flinkJob.flink();
    }

    JobID job() {
        return flinkJob.job();
    }

    /**
     * The job on the external Flink cluster ({@code --flink}), or null when it runs on the
     * MiniCluster.
     */
    public RemoteFlinkJob remoteJob() {
        return flinkJob.remote();
    }

    /** The local store's endpoint, or the external one ({@code --s3-endpoint}). */
    public String s3Endpoint() {
        return store.endpoint();
    }

    public S3Credentials s3Credentials() {
        return store.credentials();
    }

    /** Where bucket notifications are received ({@code .../hooks/s3}). */
    public String s3WebhookUrl() {
        return webhook.url();
    }

    /** The MQTT broker the connector subscribes to ({@code tcp://127.0.0.1:PORT} when embedded). */
    public String mqttUrl() {
        return engines.mqttUrl();
    }

    /** The Connect worker (tests kill and restart it). */
    public ConnectWorkerProcess connectWorker() {
        return engines.connectWorker();
    }

    public String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /** How to reach this platform's Kafka: bootstrap servers plus any client property. */
    public KafkaClientConfig kafkaClientConfig() {
        return kafka.client();
    }

    /** Stops everything, the last started first: the job takes its savepoint before Kafka stops. */
    @Override
    public void close() {
        out.println("Stopping Flowfn...");
        running.close();
        out.println("Stopped.");
        out.flush();
    }
}
