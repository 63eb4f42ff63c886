package dev.flowfn.deploy.local;

import dev.flowfn.deploy.local.engines.ChildJvm;
import dev.flowfn.deploy.local.engines.EngineClasspath;
import java.io.IOException;
import java.net.ServerSocket;
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
 * A real distributed Kafka Connect cluster for tests: workers in JVMs of their own ({@code
 * ConnectDistributed}, the {@code connect-worker} engine class path), one group, configs, offsets
 * and status in Kafka topics, the Flowfn connectors plugin on their {@code plugin.path}, REST on
 * 127.0.0.1. Lost tasks move to a live worker within seconds ({@code
 * scheduled.rebalance.max.delay.ms} 3 s, not the default 5 minutes).
 *
 * <p>Threads: the test thread.
 */
final class DistributedConnect implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final String bootstrap;
    private final String group;
    private final List<Worker> workers = new ArrayList<>();

    /** One worker: its process and REST URL. */
    record Worker(ChildJvm jvm, String restUrl) {
        /** Connect's id of this worker in a status: {@code 127.0.0.1:PORT}. */
        String id() {
            return URI.create(restUrl).getHost() + ":" + URI.create(restUrl).getPort();
        }
    }

    DistributedConnect(Path dir, String bootstrap, String group) {
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.group = group;
    }

    /** Starts one more worker and waits until its REST API answers. */
    Worker addWorker() throws IOException, InterruptedException {
        int n = workers.size() + 1;
        int port = freePort();
        Path home = EngineClasspath.locate().home();
        Path plugin = home.resolve("connectors/target/connect-plugin");
        if (!Files.isRegularFile(plugin.resolve("flowfn-connectors.jar"))) {
            throw new IllegalStateException("the connectors plugin is not built: " + plugin);
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("config.storage.topic", group + "-configs");
        p.put("offset.storage.topic", group + "-offsets");
        p.put("status.storage.topic", group + "-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.flush.interval.ms", "1000");
        p.put("scheduled.rebalance.max.delay.ms", "3000");
        p.put("session.timeout.ms", "6000");
        p.put("heartbeat.interval.ms", "1000");
        p.put("listeners", "http://127.0.0.1:" + port);
        p.put("rest.advertised.host.name", "127.0.0.1");
        p.put("rest.advertised.port", Integer.toString(port));
        p.put("plugin.path", plugin.toAbsolutePath().toString());
        p.put("plugin.discovery", "service_load");
        p.put("config.providers", "env");
        p.put(
                "config.providers.env.class",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        Files.createDirectories(dir);
        Path props = dir.resolve("worker-" + n + ".properties");
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(props, text);
        ChildJvm jvm =
                ChildJvm.builder("connect-" + n, "org.apache.kafka.connect.cli.ConnectDistributed")
                        .classpath(EngineClasspath.locate().classpath("connect-worker"))
                        .jvmOptions("-Xmx384m", "-XX:+UseSerialGC")
                        .args(props.toString())
                        .logFile(dir.resolve("connect-" + n + ".log"))
                        .start();
        Worker worker = new Worker(jvm, "http://127.0.0.1:" + port);
        workers.add(worker);
        awaitRest(worker);
        return worker;
    }

    List<Worker> workers() {
        return workers;
    }

    String logTails() {
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

    private void awaitRest(Worker worker) throws InterruptedException {
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
