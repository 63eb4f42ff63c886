package dev.flowfn.deploy.local.engines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A distributed Kafka Connect cluster: workers in JVMs of their own ({@code ConnectDistributed},
 * the {@code connect-worker} engine class path), one group, configs, offsets and status in Kafka
 * topics, the Flowfn connectors plugin on their {@code plugin.path}, REST on 127.0.0.1. Lost tasks
 * move to a live worker within seconds ({@code scheduled.rebalance.max.delay.ms} 3 s, not the
 * default 5 minutes). Connectors are installed over the REST API ({@code flowfn connectors
 * deploy}), not here.
 *
 * <p>Worker N keeps its REST port ({@code ports.properties}) and properties file ({@code
 * worker-N.properties}) across restarts: {@link #startWorker} brings back a worker that died.
 *
 * <p>Threads: any thread; {@link #addWorker} and {@link #close} from one.
 */
public final class ConnectCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final Path logs;
    private final String bootstrap;
    private final String group;
    private final int replication;
    private final Map<String, String> environment;
    private final List<Worker> workers = new ArrayList<>();

    /** One worker: its process and REST URL. */
    public record Worker(ChildJvm jvm, String restUrl) {
        /** Connect's id of this worker in a status: {@code 127.0.0.1:PORT}. */
        public String id() {
            return URI.create(restUrl).getHost() + ":" + URI.create(restUrl).getPort();
        }
    }

    /**
     * @param replication replicas of the cluster's config, offsets and status topics
     * @param environment added to each worker's environment (secrets that connector configs name as
     *     {@code ${env:NAME}}); never logged
     */
    public ConnectCluster(
            Path dir,
            Path logs,
            String bootstrap,
            String group,
            int replication,
            Map<String, String> environment) {
        this.dir = dir;
        this.logs = logs;
        this.bootstrap = bootstrap;
        this.group = group;
        this.replication = replication;
        this.environment = Map.copyOf(environment);
    }

    /** Starts one more worker, owned by this object, and waits until its REST API answers. */
    public Worker addWorker() throws IOException, InterruptedException {
        Worker worker = startWorker(workers.size() + 1);
        workers.add(worker);
        awaitRest(worker);
        return worker;
    }

    /** The REST URL of worker {@code n} (1-based), fixed on its first start. */
    public String restUrl(int n) throws IOException {
        Files.createDirectories(dir);
        return "http://127.0.0.1:"
                + PersistedPorts.loadOrAllocate(dir.resolve("ports-" + n + ".properties"), "rest")
                        .get("rest");
    }

    /**
     * Starts worker {@code n} (1-based) on its port and returns without waiting; the caller owns
     * the process.
     */
    public Worker startWorker(int n) throws IOException {
        String restUrl = restUrl(n);
        int port = URI.create(restUrl).getPort();
        Path plugin = ConnectWorkerProcess.pluginPath(EngineClasspath.locate().home());
        String copies = Integer.toString(replication);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("config.storage.topic", group + "-configs");
        p.put("offset.storage.topic", group + "-offsets");
        p.put("status.storage.topic", group + "-status");
        p.put("config.storage.replication.factor", copies);
        p.put("offset.storage.replication.factor", copies);
        p.put("status.storage.replication.factor", copies);
        p.put("offset.flush.interval.ms", "1000");
        p.put("scheduled.rebalance.max.delay.ms", "3000");
        p.put("session.timeout.ms", "6000");
        p.put("heartbeat.interval.ms", "1000");
        p.put("listeners", restUrl);
        p.put("rest.advertised.host.name", "127.0.0.1");
        p.put("rest.advertised.port", Integer.toString(port));
        p.put("plugin.path", plugin.toAbsolutePath().toString());
        p.put("plugin.discovery", "service_load");
        p.put("config.providers", "env");
        p.put(
                "config.providers.env.class",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        Path props = dir.resolve("worker-" + n + ".properties");
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(props, text);
        ChildJvm.Builder builder =
                ChildJvm.builder("connect-" + n, "org.apache.kafka.connect.cli.ConnectDistributed")
                        .classpath(EngineClasspath.locate().classpath("connect-worker"))
                        .jvmOptions("-Xmx384m", "-XX:+UseSerialGC")
                        .args(props.toString())
                        .logFile(logs.resolve("connect-" + n + ".log"));
        environment.forEach(builder::env);
        return new Worker(builder.start(), restUrl);
    }

    public List<Worker> workers() {
        return workers;
    }

    public String logTails() {
        StringBuilder out = new StringBuilder();
        for (Worker w : workers) {
            out.append("--- ").append(w.jvm().name()).append('\n');
            out.append(w.jvm().outputTail(30)).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.jvm().close();
        }
    }

    /** Waits until {@code worker}'s REST API answers; fails with its log if it exits first. */
    public static void awaitRest(Worker worker) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!worker.jvm().isAlive()) {
                throw new IllegalStateException(
                        worker.jvm().name() + " exited:\n" + worker.jvm().outputTail(40));
            }
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(worker.restUrl() + "/connectors"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                worker.jvm().name() + " did not answer in time:\n" + worker.jvm().outputTail(40));
    }
}
