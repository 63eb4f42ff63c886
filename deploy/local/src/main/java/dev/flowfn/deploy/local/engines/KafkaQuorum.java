package dev.flowfn.deploy.local.engines;

import dev.flowfn.kafka.KafkaClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Kafka 4.2 cluster of {@code n} KRaft nodes, each broker and controller in one JVM (combined
 * mode, static voter set), every topic replicated to min(3, n) nodes with two in sync: the layout a
 * production cluster has, on 127.0.0.1. Each node is started (and started again after a crash) by
 * {@link #startNode}, so a supervisor can bring back a killed one on the same ports and data.
 *
 * <p>Layout under the folder: {@code cluster.id}, {@code ports.properties} (every node's listener
 * and controller port, chosen on the first start) and {@code node-N/} with its {@code
 * server.properties} and {@code logs/} (the data).
 *
 * <p>Threads: any thread; the nodes are independent processes.
 */
public final class KafkaQuorum {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final String[] JVM_OPTIONS = {
        "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"
    };

    private final Path dir;
    private final Path logs;
    private final int nodes;
    private final PersistedPorts ports;
    private final String clusterId;
    private final String classpath;

    private KafkaQuorum(Path dir, Path logs, int nodes, PersistedPorts ports, String clusterId) {
        this.dir = dir;
        this.logs = logs;
        this.nodes = nodes;
        this.ports = ports;
        this.clusterId = clusterId;
        this.classpath = EngineClasspath.locate().classpath(KafkaBrokerProcess.ENGINE);
    }

    /**
     * The cluster's folder, ports and id (chosen once); no process is started yet. Node N logs to
     * {@code logs/kafka-N.log}.
     */
    public static KafkaQuorum prepare(Path dir, Path logs, int nodes) throws IOException {
        if (nodes < 1) {
            throw new IllegalArgumentException("a Kafka cluster needs at least one node");
        }
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            names.add("broker-" + n);
            names.add("controller-" + n);
        }
        PersistedPorts ports =
                PersistedPorts.loadOrAllocate(
                        dir.resolve("ports.properties"), names.toArray(String[]::new));
        String clusterId = KafkaBrokerProcess.loadOrCreateClusterId(dir.resolve("cluster.id"));
        return new KafkaQuorum(dir, logs, nodes, ports, clusterId);
    }

    public int size() {
        return nodes;
    }

    /** Every node's listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return IntStream.rangeClosed(1, nodes)
                .mapToObj(n -> "127.0.0.1:" + ports.get("broker-" + n))
                .collect(Collectors.joining(","));
    }

    /** Replicas per topic: 3, or fewer on a smaller cluster. */
    public int replication() {
        return Math.min(3, nodes);
    }

    /**
     * Starts node {@code n} (1-based; its storage is formatted on its first start) and returns
     * without waiting: the quorum needs a majority of its nodes before any answers.
     */
    public ChildJvm startNode(int n) throws IOException, InterruptedException {
        Path home = dir.resolve("node-" + n).toAbsolutePath();
        Path logDirs = home.resolve("logs");
        Path config = home.resolve("server.properties");
        Files.createDirectories(home);
        KafkaBrokerProcess.writeConfig(
                config,
                KafkaBrokerProcess.serverProperties(
                        n,
                        ports.get("broker-" + n),
                        ports.get("controller-" + n),
                        voters(),
                        logDirs,
                        replication()));
        Path logFile = logFile(n);
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            KafkaBrokerProcess.format(classpath, clusterId, config, logFile);
        }
        return ChildJvm.builder("kafka-" + n, "kafka.Kafka")
                .classpath(classpath)
                .jvmOptions(JVM_OPTIONS)
                .args(config.toString())
                .logFile(logFile)
                .start();
    }

    public Path logFile(int n) {
        return logs.resolve("kafka-" + n + ".log");
    }

    /** Waits until every node is registered as a broker of the cluster. */
    public void awaitBrokers() throws InterruptedException {
        awaitBrokers(nodes);
    }

    /** Waits until {@code count} nodes are registered brokers. */
    public void awaitBrokers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminConfig())) {
            while (System.nanoTime() < deadline) {
                try {
                    int live = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
                    if (live >= count) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    // no quorum yet
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(
                "the Kafka cluster did not register %d brokers within %d s; logs: %s"
                        .formatted(count, READY_TIMEOUT.toSeconds(), logs));
    }

    private String voters() {
        return IntStream.rangeClosed(1, nodes)
                .mapToObj(n -> n + "@127.0.0.1:" + ports.get("controller-" + n))
                .collect(Collectors.joining(","));
    }

    private Map<String, Object> adminConfig() {
        return KafkaClientConfig.of(bootstrapServers())
                .adminProperties(
                        Map.of(
                                AdminClientConfig.CLIENT_ID_CONFIG, "flowfn-quorum-readiness",
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000"));
    }
}
