package dev.flowfn.deploy.local.engines;

import dev.flowfn.kafka.KafkaClientConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka 4.2 broker in KRaft combined mode (broker and controller in one process, node
 * 1, static voter set), run in its own JVM from the {@code kafka-broker} engine class path.
 *
 * <p>Data folder layout: {@code ports.properties} (listener and controller ports, chosen on the
 * first start), {@code cluster.id}, {@code server.properties} (rewritten on every start) and {@code
 * logs/} (Kafka's log dirs, formatted with {@code kafka.tools.StorageTool} on the first start
 * only). Every replication factor and min.insync.replicas is 1.
 *
 * <p>Threads: {@link #start} blocks the calling thread until the broker answers; the other methods
 * may be called from any thread.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    public static final String ENGINE = "kafka-broker";
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final String[] JVM_OPTIONS = {
        "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true"
    };

    private final ChildJvm jvm;
    private final int port;

    private KafkaBrokerProcess(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /** Starts the broker on {@code dir} (created if needed) and waits until it answers. */
    public static KafkaBrokerProcess start(Path dir, Path logFile)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        PersistedPorts ports =
                PersistedPorts.loadOrAllocate(
                        dir.resolve("ports.properties"), "broker", "controller");
        ports = ports.requireFree("Kafka broker");
        String clusterId = loadOrCreateClusterId(dir.resolve("cluster.id"));
        Path logDirs = dir.resolve("logs").toAbsolutePath();
        Path config = dir.resolve("server.properties").toAbsolutePath();
        writeConfig(
                config, serverProperties(ports.get("broker"), ports.get("controller"), logDirs));
        String classpath = EngineClasspath.locate().classpath(ENGINE);

        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            format(classpath, clusterId, config, logFile);
        }
        ChildJvm jvm =
                ChildJvm.builder(ENGINE, "kafka.Kafka")
                        .classpath(classpath)
                        .jvmOptions(JVM_OPTIONS)
                        .args(config.toString())
                        .logFile(logFile)
                        .start();
        KafkaBrokerProcess broker = new KafkaBrokerProcess(jvm, ports.get("broker"));
        try {
            broker.awaitReady(clusterId);
            return broker;
        } catch (RuntimeException | InterruptedException e) {
            jvm.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    public Path logFile() {
        return jvm.logFile();
    }

    /**
     * Graceful stop (controlled shutdown, logs flushed); killed after {@link
     * ChildJvm#STOP_TIMEOUT}.
     */
    @Override
    public void close() {
        jvm.close();
    }

    static Map<String, String> serverProperties(int port, int controllerPort, Path logDirs) {
        return serverProperties(
                1, port, controllerPort, "1@127.0.0.1:" + controllerPort, logDirs, 1);
    }

    /**
     * One node of a KRaft cluster in combined mode: node {@code nodeId} of the static voter set
     * {@code voters} ({@code 1@127.0.0.1:PORT,2@...}); internal topics and new topics get {@code
     * replication} replicas, and with more than one, writes need two in sync.
     */
    static Map<String, String> serverProperties(
            int nodeId,
            int port,
            int controllerPort,
            String voters,
            Path logDirs,
            int replication) {
        String copies = Integer.toString(replication);
        String inSync = replication > 1 ? "2" : "1";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDirs.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", copies);
        p.put("min.insync.replicas", inSync);
        p.put("offsets.topic.replication.factor", copies);
        p.put("transaction.state.log.replication.factor", copies);
        p.put("transaction.state.log.min.isr", inSync);
        p.put("share.coordinator.state.topic.replication.factor", copies);
        p.put("share.coordinator.state.topic.min.isr", inSync);
        p.put("group.initial.rebalance.delay.ms", "0");
        // Kafka's default session (9 s). It was 3 s, for a quicker restart after a crash (the
        // restarted broker waits for its old session to expire), but a 3 s CPU stall on a busy
        // machine then let the controller fence its own broker: every partition lost its leader
        // and the job failed over mid-stream (seen in IotLogsIT: "Timed out heartbeat from broker
        // 1")
        p.put("broker.session.timeout.ms", "9000");
        p.put("broker.heartbeat.interval.ms", "1000");
        // Flink's exactly-once producers may hold a transaction open up to this long
        p.put("transaction.max.timeout.ms", "900000");
        // the exactly-once sinks take a new transactional id at every checkpoint (INCREMENTING,
        // flowfn.kafka.transaction-naming): forgotten an hour after their last use instead of
        // Kafka's 7 days, 1 s checkpoints leave 3,600 ids per sink subtask on the broker, not
        // 604,800. An hour is far past the transaction timeout, the longest an id is still needed.
        p.put("transactional.id.expiration.ms", "3600000");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    static void writeConfig(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text =
                new StringBuilder("# written by flowfn local on each start; edits are lost\n");
        // the values are plain text but for backslashes, which Properties.load unescapes
        properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(file, text.toString().replace("\\", "\\\\"));
    }

    static String loadOrCreateClusterId(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n");
        return id;
    }

    static void format(String classpath, String clusterId, Path config, Path logFile)
            throws IOException, InterruptedException {
        ChildJvm tool =
                ChildJvm.builder("kafka-storage-format", "kafka.tools.StorageTool")
                        .classpath(classpath)
                        .jvmOptions("-Xmx256m")
                        .args("format", "-t", clusterId, "-c", config.toString())
                        .logFile(logFile)
                        .start();
        int exit = tool.awaitExit(FORMAT_TIMEOUT);
        if (exit != 0) {
            throw new IllegalStateException(
                    "formatting Kafka storage failed (exit %d); last lines of %s:%n%s"
                            .formatted(exit, logFile, tool.outputTail(30)));
        }
    }

    /**
     * Polls until the broker's listener is open and it describes our cluster, or fails with its
     * log.
     */
    private void awaitReady(String clusterId) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Admin admin = null;
        try {
            while (true) {
                if (!jvm.isAlive()) {
                    throw failure(
                            "exited during startup (exit code " + jvm.exitCode().orElse(-1) + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw failure("did not answer within " + READY_TIMEOUT.toSeconds() + " s");
                }
                // no admin client before the port is open: it would log a warning per attempt
                if (admin == null && listening()) {
                    admin = Admin.create(adminConfig());
                }
                if (admin != null && answers(admin, clusterId)) {
                    return;
                }
                Thread.sleep(100);
            }
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
    }

    private boolean answers(Admin admin, String clusterId) throws InterruptedException {
        DescribeClusterResult cluster = admin.describeCluster();
        String answered;
        try {
            answered = cluster.clusterId().get(2, TimeUnit.SECONDS);
            if (cluster.nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                return false;
            }
        } catch (ExecutionException | TimeoutException notYet) {
            return false;
        }
        if (!clusterId.equals(answered)) {
            throw failure(
                    "answers with cluster id %s, not %s (is another broker listening on %s?)"
                            .formatted(answered, clusterId, bootstrapServers()));
        }
        return true;
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private Map<String, Object> adminConfig() {
        return KafkaClientConfig.of(bootstrapServers())
                .adminProperties(
                        Map.of(
                                AdminClientConfig.CLIENT_ID_CONFIG, "flowfn-local-readiness",
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000",
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000"));
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(
                "Kafka broker %s; last lines of %s:%n%s"
                        .formatted(what, jvm.logFile(), jvm.outputTail(30)));
    }
}
