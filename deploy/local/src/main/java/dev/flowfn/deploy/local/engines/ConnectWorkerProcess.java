package dev.flowfn.deploy.local.engines;

import dev.flowfn.kafka.KafkaClientConfig;
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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standalone Kafka Connect worker ({@code org.apache.kafka.connect.cli.ConnectStandalone}) in its
 * own JVM, from the {@code connect-worker} engine class path, with the Flowfn connectors plugin
 * ({@code connectors/target/connect-plugin}) on its {@code plugin.path}. Keys and values are bytes
 * ({@code ByteArrayConverter}): the connectors write Avro themselves.
 *
 * <p>Data folder layout: {@code ports.properties} (the REST port, 127.0.0.1 only), {@code
 * worker.properties} and one {@code <connector>.properties} per connector (rewritten on every
 * start), {@code offsets.dat} (source offsets, kept across restarts); {@code flowfn local} keeps
 * the MQTT client's state in {@code mqtt-state/} there too. Secrets reach the worker and its
 * connectors through the child's environment only ({@code ${env:NAME}} in a config, resolved by
 * Connect's EnvVarConfigProvider), the Kafka client's own (SASL login, key store passwords) too:
 * never the files or the command line.
 *
 * <p>Threads: {@link #start} blocks until every connector and its tasks run; the other methods may
 * be called from any thread.
 */
public final class ConnectWorkerProcess implements AutoCloseable {

    public static final String ENGINE = "connect-worker";
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final String MAIN_CLASS = "org.apache.kafka.connect.cli.ConnectStandalone";
    private static final String[] JVM_OPTIONS = {
        "-Xmx384m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"
    };
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"");

    /** One connector the worker runs: its name and its configuration (no secrets in it). */
    public record Connector(String name, Map<String, String> config) {
        public Connector {
            config = Map.copyOf(config);
        }
    }

    private final ChildJvm jvm;
    private final String restUrl;
    private final List<Connector> connectors;

    /** One client for every status read: each client starts a selector thread of its own. */
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ConnectWorkerProcess(ChildJvm jvm, String restUrl, List<Connector> connectors) {
        this.jvm = jvm;
        this.restUrl = restUrl;
        this.connectors = connectors;
    }

    /**
     * Starts the worker on {@code dir} with {@code connectors} against {@code kafka}, and waits
     * until they run.
     *
     * @param secrets environment variables for the child, referenced as {@code ${env:NAME}} in
     *     connector configs
     */
    public static ConnectWorkerProcess start(
            Path dir,
            KafkaClientConfig kafka,
            List<Connector> connectors,
            Map<String, String> secrets,
            Path logFile)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        PersistedPorts ports =
                PersistedPorts.loadOrAllocate(dir.resolve("ports.properties"), "rest");
        ports = ports.requireFree("Kafka Connect worker");
        EngineClasspath engines = EngineClasspath.locate();
        Path pluginDir = pluginPath(engines.home());
        String restUrl = "http://127.0.0.1:" + ports.get("rest");
        Path worker = dir.resolve("worker.properties").toAbsolutePath();
        write(worker, workerProperties(kafka, ports.get("rest"), dir, pluginDir));
        List<String> args = new ArrayList<>(List.of(worker.toString()));
        for (Connector c : connectors) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("name", c.name());
            config.putAll(c.config());
            Path file = dir.resolve(c.name() + ".properties").toAbsolutePath();
            write(file, config);
            args.add(file.toString());
        }
        ChildJvm.Builder builder =
                ChildJvm.builder(ENGINE, MAIN_CLASS)
                        .classpath(engines.classpath(ENGINE))
                        .jvmOptions(JVM_OPTIONS)
                        .args(args.toArray(String[]::new))
                        .logFile(logFile);
        secrets.forEach(builder::env);
        workerSecrets(kafka).forEach(builder::env);
        ChildJvm jvm = builder.start();
        ConnectWorkerProcess process =
                new ConnectWorkerProcess(jvm, restUrl, List.copyOf(connectors));
        try {
            process.awaitRunning();
            return process;
        } catch (RuntimeException | InterruptedException e) {
            jvm.close();
            throw e;
        }
    }

    /** Where the connectors plugin is built: {@code connectors/target/connect-plugin}. */
    static Path pluginPath(Path home) {
        Path dir = home.resolve("connectors").resolve("target").resolve("connect-plugin");
        if (!Files.isRegularFile(dir.resolve("flowfn-connectors.jar"))) {
            throw new IllegalStateException(
                    "the connectors plugin is not built: %s is missing. Run ./flowfn once to build it, or in %s: mvn -q -pl connectors -am package -DskipTests"
                            .formatted(dir.resolve("flowfn-connectors.jar"), home));
        }
        return dir;
    }

    /**
     * The worker's configuration. The Kafka client properties apply to the worker's own clients
     * (its config, offset and status topics) and, prefixed, to the producers, consumers and admin
     * clients it makes for the connectors. A secret among them ({@link KafkaClientConfig#isSecret})
     * is written as {@code ${env:NAME}}: {@link #workerSecrets} gives the worker its value.
     */
    static Map<String, String> workerProperties(
            KafkaClientConfig kafka, int restPort, Path dir, Path pluginDir) {
        Map<String, String> client = new TreeMap<>();
        kafka.properties()
                .forEach(
                        (key, value) ->
                                client.put(
                                        key,
                                        KafkaClientConfig.isSecret(key)
                                                ? "${env:" + secretEnv(key) + "}"
                                                : value));
        Map<String, String> p = new LinkedHashMap<>(client);
        for (String prefix : List.of("producer.", "consumer.", "admin.")) {
            client.forEach(
                    (key, value) -> {
                        if (!key.equals(KafkaClientConfig.BOOTSTRAP_SERVERS)) {
                            p.put(prefix + key, value);
                        }
                    });
        }
        p.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put(
                "offset.storage.file.filename",
                dir.resolve("offsets.dat").toAbsolutePath().toString());
        p.put("offset.flush.interval.ms", "1000");
        p.put("listeners", "http://127.0.0.1:" + restPort);
        p.put("rest.advertised.host.name", "127.0.0.1");
        p.put("rest.advertised.port", Integer.toString(restPort));
        p.put("plugin.path", pluginDir.toAbsolutePath().toString());
        // the plugin declares its connectors in META-INF/services: no class path scan (seconds)
        p.put("plugin.discovery", "service_load");
        p.put("config.providers", "env");
        p.put(
                "config.providers.env.class",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        // every source record is acknowledged by all in-sync replicas before a connector's
        // commitRecord, which is when the MQTT connector acknowledges to its broker
        p.put("producer.acks", "all");
        // retries after a leader change must not write a record twice
        p.put("producer.enable.idempotence", "true");
        p.put("producer.linger.ms", "5");
        p.put("producer.compression.type", "lz4");
        return p;
    }

    /** The worker's environment for the secrets among the Kafka client properties. */
    static Map<String, String> workerSecrets(KafkaClientConfig kafka) {
        Map<String, String> env = new TreeMap<>();
        kafka.properties()
                .forEach(
                        (key, value) -> {
                            if (KafkaClientConfig.isSecret(key)) {
                                env.put(secretEnv(key), value);
                            }
                        });
        return env;
    }

    /** {@code sasl.jaas.config} travels as {@code FLOWFN_KAFKA_SASL_JAAS_CONFIG}. */
    static String secretEnv(String key) {
        return "FLOWFN_KAFKA_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** {@code http://127.0.0.1:PORT}: Connect's REST API (connectors, status, restarts). */
    public String restUrl() {
        return restUrl;
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    public Path logFile() {
        return jvm.logFile();
    }

    /** SIGKILL, as a crash would (tests: nothing acknowledged after this point). */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    /**
     * Graceful stop (tasks stopped, offsets flushed); killed after {@link ChildJvm#STOP_TIMEOUT}.
     */
    @Override
    public void close() {
        jvm.close();
    }

    /** The state of {@code connector} and its tasks from the REST API, e.g. [RUNNING, RUNNING]. */
    public List<String> states(String connector) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                restUrl + "/connectors/" + connector + "/status"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return List.of();
        }
        List<String> states = new ArrayList<>();
        Matcher m = STATE.matcher(response.body());
        while (m.find()) {
            states.add(m.group(1));
        }
        return states;
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (Connector c : connectors) {
            while (true) {
                if (!jvm.isAlive()) {
                    throw failure(
                            "exited during startup (exit code " + jvm.exitCode().orElse(-1) + ")");
                }
                List<String> states;
                try {
                    states = states(c.name());
                } catch (IOException notYet) {
                    states = List.of();
                }
                if (states.contains("FAILED")) {
                    throw failure("connector '" + c.name() + "' failed (" + states + ")");
                }
                if (states.size() >= 2 && states.stream().allMatch("RUNNING"::equals)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw failure(
                            "connector '%s' not running within %d s (states %s)"
                                    .formatted(c.name(), READY_TIMEOUT.toSeconds(), states));
                }
                Thread.sleep(200);
            }
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(
                "Kafka Connect worker %s; last lines of %s:%n%s"
                        .formatted(what, jvm.logFile(), jvm.outputTail(40)));
    }

    private static void write(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text =
                new StringBuilder("# written by flowfn local on each start; edits are lost\n");
        properties.forEach(
                (k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text.toString());
    }
}
