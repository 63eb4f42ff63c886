package dev.flowfn.deploy.topology;

import dev.flowfn.deploy.cli.FlowfnCli;
import dev.flowfn.deploy.flink.ClusterJobArgs;
import dev.flowfn.deploy.flink.RemoteFlinkJob;
import dev.flowfn.deploy.local.TopicSetup;
import dev.flowfn.deploy.local.WebhookToken;
import dev.flowfn.deploy.local.engines.ChildJvm;
import dev.flowfn.deploy.local.engines.ConnectCluster;
import dev.flowfn.deploy.local.engines.EngineClasspath;
import dev.flowfn.deploy.local.engines.FlinkStandaloneCluster;
import dev.flowfn.deploy.local.engines.KafkaQuorum;
import dev.flowfn.deploy.local.engines.PersistedPorts;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.deploy.local.engines.S3StoreProcess;
import dev.flowfn.deploy.local.engines.Supervisor;
import dev.flowfn.job.FlowfnJob;
import dev.flowfn.job.JobOptions;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.kafka.SchemaTopic;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Flowfn's production layout as separate processes on this machine: a Kafka cluster of KRaft nodes,
 * a Flink JobManager with TaskManagers, Kafka Connect workers in distributed mode, control servers
 * ({@code flowfn server}) and an S3 store, each a JVM of its own under a {@link Supervisor} that
 * starts again whatever dies. Once all run, the Flowfn job is submitted ({@code flowfn submit}) and
 * the trigger connectors installed ({@code flowfn connectors deploy}), each as the command an
 * operator runs.
 *
 * <p>What runs where is written to {@code topology.properties} in the folder (endpoints, and {@code
 * pid.NAME} for every process, rewritten after each restart); the S3 keys and the API token are in
 * {@code secrets/} (owner-only files), never printed.
 *
 * <p>Threads: {@link #start} on the caller's thread; the supervisor's thread restarts processes and
 * rewrites the properties file.
 */
public final class Topology implements AutoCloseable {

    /** The file a topology's endpoints and process ids are written to. */
    public static final String PROPERTIES = "topology.properties";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final TopologySettings settings;
    private final Path dir;
    private final Consumer<String> progress;
    private final Supervisor supervisor = new Supervisor();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private S3Credentials s3Keys;
    private String token;

    private Topology(TopologySettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.dir = settings.dir().toAbsolutePath();
        this.progress = progress;
    }

    /** Starts every process, submits the job, installs the connectors; returns when all run. */
    public static Topology start(TopologySettings settings, Consumer<String> progress)
            throws Exception {
        Topology topology = new Topology(settings, progress);
        try {
            topology.startAll();
            return topology;
        } catch (Exception | Error e) {
            topology.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(dir.resolve("logs"));
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        s3Keys = S3Credentials.loadOrCreate(secrets.resolve("s3.properties"));
        token = WebhookToken.loadOrCreate(secrets.resolve("token"));
        String s3 = startStore();
        KafkaQuorum kafka = startKafka();
        FlinkStandaloneCluster flink = startFlink(kafka, s3);
        List<String> connectUrls = startConnect(kafka);
        startServers(kafka, s3);
        writeProperties();
        supervisor.watch(
                Duration.ofMillis(500),
                event -> {
                    progress.accept(event);
                    writePropertiesQuietly();
                });
        if (settings.submit() && !settings.reactive()) {
            step("the Flowfn job: flowfn submit --parallelism " + settings.parallelism());
            runFlowfn(
                    "submit",
                    "--flink",
                    flink.restUrl(),
                    "--parallelism",
                    Integer.toString(settings.parallelism()),
                    "--kafka",
                    kafka.bootstrapServers(),
                    "--s3-endpoint",
                    s3,
                    "--flink-savepoint-dir",
                    endpoints.get("flink.savepoints"),
                    "--checkpoint-interval",
                    settings.checkpointInterval().toMillis() + "ms");
        }
        if (settings.submit()) {
            step("trigger connectors: flowfn connectors deploy");
            runFlowfn(
                    "connectors",
                    "deploy",
                    "--connect",
                    connectUrls.get(0),
                    "--kafka",
                    kafka.bootstrapServers());
        }
        writeProperties();
        progress.accept(
                "Topology ready in %.0f s: %s".formatted((System.nanoTime() - t0) / 1e9, dir));
    }

    /** The S3 store; returns its endpoint. */
    private String startStore() throws IOException, InterruptedException {
        step("S3 store");
        String[] endpoint = new String[1];
        supervisor.start(
                "s3",
                () -> {
                    S3StoreProcess store =
                            S3StoreProcess.start(dir.resolve("s3"), s3Keys, logs("s3.log"));
                    endpoint[0] = store.endpoint();
                    return store.process();
                });
        endpoints.put("s3.endpoint", endpoint[0]);
        return endpoint[0];
    }

    /** The Kafka nodes, once all are brokers of the cluster, and Flowfn's topics on it. */
    private KafkaQuorum startKafka() throws Exception {
        step("Kafka: " + settings.brokers() + " KRaft nodes (broker and controller each)");
        KafkaQuorum kafka = KafkaQuorum.prepare(dir.resolve("kafka"), logs(), settings.brokers());
        for (int n = 1; n <= settings.brokers(); n++) {
            int node = n;
            supervisor.start("kafka-" + node, () -> kafka.startNode(node));
        }
        kafka.awaitBrokers();
        endpoints.put("kafka.bootstrap", kafka.bootstrapServers());
        endpoints.put("kafka.replication", Integer.toString(kafka.replication()));
        // the servers follow the registry from their start: its topics must exist by then
        KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
        TopicSetup.ensure(client);
        new SchemaTopic(client).publishAll();
        return kafka;
    }

    /**
     * The JobManager (in reactive mode an application cluster that runs the job at once) and the
     * TaskManagers, once their slots are registered.
     */
    private FlinkStandaloneCluster startFlink(KafkaQuorum kafka, String s3)
            throws IOException, InterruptedException {
        step(
                "Flink: a JobManager and %d TaskManagers of %d slots"
                        .formatted(settings.taskManagers(), settings.slotsPerTaskManager()));
        Path savepoints = Files.createDirectories(dir.resolve("flink/savepoints"));
        String savepointDir = savepoints.toUri().toString();
        Map<String, String> flinkConfig = new LinkedHashMap<>();
        flinkConfig.put(ClusterJobArgs.SAVEPOINT_DIR, savepointDir);
        // a killed TaskManager is noticed in 20 s, not 50
        flinkConfig.put("heartbeat.timeout", "20000");
        flinkConfig.putAll(settings.flinkConfig());
        if (settings.reactive()) {
            flinkConfig.putAll(reactiveJobConfig(kafka, s3, savepointDir));
        }
        FlinkStandaloneCluster flink =
                FlinkStandaloneCluster.prepare(
                        dir.resolve("flink"), settings.slotsPerTaskManager(), flinkConfig);
        if (settings.reactive()) {
            Path jar = RemoteFlinkJob.findJobJar(EngineClasspath.locate().home());
            Map<String, String> keys =
                    Map.of(
                            JobOptions.S3_ACCESS_KEY_ENV, s3Keys.accessKey(),
                            JobOptions.S3_SECRET_KEY_ENV, s3Keys.secretKey());
            supervisor.start(
                    "flink-jobmanager",
                    () -> flink.startApplicationJobManager(jar, FlowfnJob.class.getName(), keys));
        } else {
            supervisor.start("flink-jobmanager", flink::startJobManager);
        }
        for (int n = 1; n <= settings.taskManagers(); n++) {
            int tm = n;
            supervisor.start("flink-taskmanager-" + tm, () -> flink.startTaskManager(tm));
        }
        flink.awaitSlots(settings.taskManagers() * settings.slotsPerTaskManager());
        endpoints.put("flink.rest", flink.restUrl());
        endpoints.put("flink.savepoints", savepointDir);
        endpoints.put("flink.mode", settings.reactive() ? "application, reactive" : "session");
        return flink;
    }

    /**
     * Reactive mode, and the job's options for the cluster's configuration, where an application
     * cluster's job reads them: no credential among them, the JobManager takes the S3 keys from its
     * environment.
     */
    private Map<String, String> reactiveJobConfig(
            KafkaQuorum kafka, String s3, String savepointDir) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("scheduler-mode", "reactive");
        // a TaskManager that joins is used after 10 s without another joining (Flink: 60 s)
        config.put("jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout", "10s");
        Map<String, String> job =
                new LinkedHashMap<>(
                        ClusterJobArgs.forSubmit(
                                        new ClusterJobArgs.Submit(
                                                KafkaClientConfig.of(kafka.bootstrapServers()),
                                                s3,
                                                s3Keys,
                                                savepointDir,
                                                settings.checkpointInterval(),
                                                settings.parallelism(),
                                                Map.of()))
                                .options());
        job.remove(JobOptions.S3_ACCESS_KEY.key());
        job.remove(JobOptions.S3_SECRET_KEY.key());
        job.remove(ClusterJobArgs.PARALLELISM);
        config.putAll(job);
        // what --flink-conf gives wins
        settings.flinkConfig().keySet().forEach(config::remove);
        return config;
    }

    /** The Connect workers, each once its REST API answers; returns their URLs. */
    private List<String> startConnect(KafkaQuorum kafka) throws IOException, InterruptedException {
        step("Kafka Connect: %d workers in distributed mode".formatted(settings.connectWorkers()));
        ConnectCluster connect =
                new ConnectCluster(
                        dir.resolve("connect"),
                        logs(),
                        kafka.bootstrapServers(),
                        "flowfn-connect",
                        kafka.replication(),
                        Map.of());
        List<String> urls = new ArrayList<>();
        for (int n = 1; n <= settings.connectWorkers(); n++) {
            int worker = n;
            supervisor.start(
                    "connect-" + worker,
                    () -> {
                        ConnectCluster.Worker w = connect.startWorker(worker);
                        ConnectCluster.awaitRest(w);
                        return w.jvm();
                    });
            urls.add(connect.restUrl(worker));
        }
        endpoints.put("connect.urls", String.join(",", urls));
        return urls;
    }

    /** The control servers, each once it is healthy. */
    private void startServers(KafkaQuorum kafka, String s3)
            throws IOException, InterruptedException {
        step("control servers: %d replicas of flowfn server".formatted(settings.servers()));
        List<String> apis = new ArrayList<>();
        List<String> gateways = new ArrayList<>();
        for (int n = 1; n <= settings.servers(); n++) {
            PersistedPorts ports =
                    PersistedPorts.loadOrAllocate(
                            dir.resolve("server-" + n + ".ports"), "api", "gateway");
            String api = "http://127.0.0.1:" + ports.get("api");
            int server = n;
            supervisor.start(
                    "server-" + server,
                    () -> startServer(server, ports, kafka.bootstrapServers(), s3, api));
            apis.add(api);
            gateways.add("http://127.0.0.1:" + ports.get("gateway"));
        }
        endpoints.put("server.urls", String.join(",", apis));
        endpoints.put("gateway.urls", String.join(",", gateways));
    }

    /** What runs where, as written to {@value #PROPERTIES}. */
    public Map<String, String> endpoints() {
        return Map.copyOf(endpoints);
    }

    public Supervisor supervisor() {
        return supervisor;
    }

    @Override
    public void close() {
        supervisor.close();
    }

    private ChildJvm startServer(
            int n, PersistedPorts ports, String bootstrap, String s3, String api)
            throws IOException, InterruptedException {
        ChildJvm jvm =
                ChildJvm.builder("server-" + n, FlowfnCli.class.getName())
                        .classpath(System.getProperty("java.class.path"))
                        .jvmOptions("-Xmx384m", "-XX:+UseSerialGC")
                        .args(
                                "server",
                                "--kafka",
                                bootstrap,
                                "--s3-endpoint",
                                s3,
                                "--port",
                                Integer.toString(ports.get("api")),
                                "--gateway-port",
                                Integer.toString(ports.get("gateway")),
                                "--log-dir",
                                logs().resolve("server-" + n).toString())
                        .env("FLOWFN_S3_ACCESS_KEY", s3Keys.accessKey())
                        .env("FLOWFN_S3_SECRET_KEY", s3Keys.secretKey())
                        .env("FLOWFN_TOKEN", token)
                        .logFile(logs("server-" + n + ".log"))
                        .start();
        awaitHealthy(jvm, api + "/health");
        return jvm;
    }

    /** Runs {@code flowfn ARGS} as a child, as an operator would; fails with its output. */
    private void runFlowfn(String... args) throws IOException, InterruptedException {
        String name = "flowfn-" + args[0];
        ChildJvm jvm =
                ChildJvm.builder(name, FlowfnCli.class.getName())
                        .classpath(System.getProperty("java.class.path"))
                        .jvmOptions("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                        .args(args)
                        .env("FLOWFN_S3_ACCESS_KEY", s3Keys.accessKey())
                        .env("FLOWFN_S3_SECRET_KEY", s3Keys.secretKey())
                        .env("FLOWFN_DATA_DIR", dir.toString())
                        .logFile(logs(name + ".log"))
                        .start();
        int exit = jvm.awaitExit(Duration.ofMinutes(5));
        if (exit != 0) {
            throw new IllegalStateException(
                    "flowfn %s failed (exit %d); its output (%s):%n%s"
                            .formatted(
                                    String.join(" ", args),
                                    exit,
                                    jvm.logFile(),
                                    jvm.outputTail(30)));
        }
    }

    private static void awaitHealthy(ChildJvm jvm, String url) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException(jvm.name() + " exited:\n" + jvm.outputTail(30));
            }
            try {
                HttpResponse<Void> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        jvm.close();
        throw new IllegalStateException(
                jvm.name()
                        + " was not healthy within "
                        + READY_TIMEOUT
                        + ":\n"
                        + jvm.outputTail(30));
    }

    private void step(String what) {
        progress.accept("Starting " + what + "...");
    }

    private Path logs() {
        return dir.resolve("logs");
    }

    private Path logs(String file) {
        return logs().resolve(file);
    }

    private synchronized void writeProperties() throws IOException {
        StringBuilder text =
                new StringBuilder("# written by flowfn topology; rewritten on every restart\n");
        endpoints.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        text.append("token.file=").append(dir.resolve("secrets/token")).append('\n');
        text.append("s3.credentials.file=")
                .append(dir.resolve("secrets/s3.properties"))
                .append('\n');
        supervisor
                .pids()
                .forEach(
                        (k, v) -> text.append("pid.").append(k).append('=').append(v).append('\n'));
        supervisor
                .restarts()
                .forEach(
                        (k, v) ->
                                text.append("restarts.")
                                        .append(k)
                                        .append('=')
                                        .append(v)
                                        .append('\n'));
        Path tmp = dir.resolve(PROPERTIES + ".tmp");
        Files.writeString(tmp, text);
        Files.move(
                tmp,
                dir.resolve(PROPERTIES),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private void writePropertiesQuietly() {
        try {
            writeProperties();
        } catch (IOException e) {
            progress.accept("could not rewrite " + PROPERTIES + ": " + e.getMessage());
        }
    }
}
