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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standalone Flink 2.2 session cluster: one JobManager and any number of TaskManagers, each a
 * child JVM ({@link ChildJvm}, its own session) on the {@code deploy/flink-cluster} class path,
 * bound to 127.0.0.1 on free ports. This is what {@code bin/start-cluster.sh} of a Flink
 * distribution starts; the distribution itself is not on Maven Central, its jars are.
 *
 * <p>Layout under the folder given to {@link #prepare}: {@code conf/config.yaml}, {@code logs/}
 * (one file per process), {@code tmp/} (blobs, uploaded jars, spill files). {@link
 * #startJobManager} and {@link #startTaskManager} start one process each and may be called again
 * for one that died (a supervisor's restart); {@link #start} is the whole cluster with one
 * TaskManager, owned by the returned object.
 *
 * <p>Threads: {@link #start} and {@link #awaitSlots} block the calling thread; {@link #close} may
 * be called from any thread, more than once.
 */
public final class FlinkStandaloneCluster implements AutoCloseable {

    public static final String ENGINE = "flink-cluster";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /**
     * What flink-dist's config.yaml sets in env.java.opts.all for Java 17 (Kryo, Netty,
     * reflection).
     */
    static final List<String> JAVA17_OPTIONS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final List<ChildJvm> processes = new ArrayList<>();
    private final Path dir;
    private final int restPort;
    private final String classpath;
    private TaskManagerResources resources;

    private FlinkStandaloneCluster(Path dir, int restPort) {
        this.dir = dir;
        this.restPort = restPort;
        this.classpath = EngineClasspath.locate().classpath(ENGINE);
    }

    /**
     * Starts a JobManager and a TaskManager with {@code slots} slots; returns once the slots are
     * registered.
     */
    public static FlinkStandaloneCluster start(Path dir, int slots)
            throws IOException, InterruptedException {
        return start(dir, slots, Map.of());
    }

    /**
     * Starts a JobManager and a TaskManager with {@code slots} slots and {@code extraConfig} in
     * their configuration (as an operator writes it into config.yaml); returns once the slots are
     * registered.
     */
    public static FlinkStandaloneCluster start(Path dir, int slots, Map<String, String> extraConfig)
            throws IOException, InterruptedException {
        FlinkStandaloneCluster cluster = prepare(dir, slots, extraConfig);
        try {
            cluster.processes.add(cluster.startJobManager());
            cluster.processes.add(cluster.startTaskManager(1));
            cluster.awaitSlots(slots);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Writes the configuration ({@code slots} per TaskManager, {@code extraConfig} added); starts
     * nothing.
     */
    public static FlinkStandaloneCluster prepare(
            Path dir, int slots, Map<String, String> extraConfig) throws IOException {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.createDirectories(dir.resolve("tmp"));
        PersistedPorts ports =
                PersistedPorts.loadOrAllocate(dir.resolve("ports.properties"), "rpc", "rest");
        StringBuilder config =
                new StringBuilder(config(dir, ports.get("rpc"), ports.get("rest"), slots));
        extraConfig.forEach((k, v) -> config.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), config);
        return new FlinkStandaloneCluster(dir, ports.get("rest"));
    }

    /**
     * The cluster already prepared in {@code dir} (its configuration and ports as they are), to
     * start one more TaskManager against it, as an operator does on another machine.
     */
    public static FlinkStandaloneCluster existing(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("conf/config.yaml"))) {
            throw new IllegalStateException("no Flink cluster configuration in " + dir);
        }
        PersistedPorts ports =
                PersistedPorts.loadOrAllocate(dir.resolve("ports.properties"), "rpc", "rest");
        return new FlinkStandaloneCluster(dir, ports.get("rest"));
    }

    /**
     * Starts a JobManager in application mode: it runs {@code mainClass} of {@code jobJar} as its
     * one job as soon as it starts (no REST submission), with {@code env} added to its environment
     * (credentials the job reads there). With {@code scheduler-mode: reactive} in the
     * configuration, the job's parallelism follows the slots the TaskManagers offer.
     */
    public ChildJvm startApplicationJobManager(
            Path jobJar, String mainClass, Map<String, String> env) throws IOException {
        ChildJvm.Builder builder =
                ChildJvm.builder(
                                "flink-jobmanager",
                                "org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint")
                        .classpath(classpath)
                        .jvmOptions("-Xmx512m", "-Xms128m")
                        .jvmOptions(JAVA17_OPTIONS.toArray(String[]::new))
                        .args("--configDir", dir.resolve("conf").toString())
                        .args("--job-classname", mainClass)
                        .args("--jars", jobJar.toAbsolutePath().toString())
                        .logFile(logs().resolve("jobmanager.log"));
        env.forEach(builder::env);
        return builder.start();
    }

    /** Starts the JobManager (the REST API comes up a few seconds later). */
    public ChildJvm startJobManager() throws IOException {
        return ChildJvm.builder(
                        "flink-jobmanager",
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint")
                .classpath(classpath)
                .jvmOptions("-Xmx512m", "-Xms128m")
                .jvmOptions(JAVA17_OPTIONS.toArray(String[]::new))
                .args("--configDir", dir.resolve("conf").toString())
                .logFile(logs().resolve("jobmanager.log"))
                .start();
    }

    /**
     * Starts TaskManager {@code n} (1-based, only the log file's name); it registers with the
     * JobManager by itself.
     */
    public ChildJvm startTaskManager(int n) throws IOException, InterruptedException {
        Path conf = dir.resolve("conf");
        synchronized (this) {
            if (resources == null) {
                resources =
                        TaskManagerResources.compute(
                                classpath, conf, logs().resolve("bash-java-utils.log"));
            }
        }
        return ChildJvm.builder(
                        "flink-taskmanager-" + n,
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner")
                .classpath(classpath)
                .jvmOptions(resources.jvmOptions().toArray(String[]::new))
                .jvmOptions(JAVA17_OPTIONS.toArray(String[]::new))
                .args("--configDir", conf.toString())
                .args(resources.dynamicProperties().toArray(String[]::new))
                // a stable id (the REST API names it) instead of a random one per start
                .args("-D", "taskmanager.resource-id=taskmanager-" + n)
                .logFile(logs().resolve(n == 1 ? "taskmanager.log" : "taskmanager-" + n + ".log"))
                .start();
    }

    /** {@code http://127.0.0.1:PORT}: REST API and web UI of the JobManager. */
    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    /** The last lines of every process's log, for assertion messages. */
    public String logTails(int lines) {
        StringBuilder text = new StringBuilder();
        for (ChildJvm p : processes) {
            text.append("--- ")
                    .append(p.name())
                    .append(" (")
                    .append(p.logFile())
                    .append(")\n")
                    .append(p.outputTail(lines))
                    .append('\n');
        }
        return text.toString();
    }

    /**
     * Stops the processes {@link #start} started, TaskManager first (SIGTERM, then SIGKILL after
     * {@link ChildJvm#STOP_TIMEOUT}).
     */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }

    private static String config(Path dir, int rpcPort, int restPort, int slots) {
        Path tmp = dir.resolve("tmp").toAbsolutePath();
        return String.join(
                "\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + rpcPort,
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 768m",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.numberOfTaskSlots: " + slots,
                "taskmanager.memory.process.size: 1536m",
                // the Flowfn job keeps its state on the heap (hashmap backend): little managed
                // memory
                "taskmanager.memory.managed.size: 64m",
                "io.tmp.dirs: " + tmp,
                "web.tmpdir: " + tmp.resolve("web"),
                "blob.storage.directory: " + tmp.resolve("blobs"),
                "");
    }

    /** Waits until the cluster offers {@code slots} task slots in all. */
    public void awaitSlots(int slots) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Pattern total = Pattern.compile("\"slots-total\"\\s*:\\s*(\\d+)");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ChildJvm p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            p.name()
                                    + " exited during startup (exit "
                                    + p.exitCode().orElse(-1)
                                    + ")\n"
                                    + logTails(40));
                }
            }
            try {
                HttpResponse<String> overview =
                        http.send(
                                HttpRequest.newBuilder(URI.create(restUrl() + "/overview"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                Matcher m = total.matcher(overview.body());
                if (overview.statusCode() == 200
                        && m.find()
                        && Integer.parseInt(m.group(1)) >= slots) {
                    return;
                }
            } catch (IOException notYet) {
                // the REST endpoint is not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "Flink cluster did not offer "
                        + slots
                        + " slots within "
                        + READY_TIMEOUT
                        + " (logs: "
                        + logs()
                        + ")\n"
                        + logTails(40));
    }

    /**
     * The TaskManager's memory settings as {@code bin/taskmanager.sh} computes them: JVM flags
     * ({@code -Xmx}, {@code -XX:MaxDirectMemorySize}, ...) and {@code -D key=value} properties
     * ({@code taskmanager.memory.*}, {@code taskmanager.cpu.cores}) from {@code BashJavaUtils}.
     */
    record TaskManagerResources(List<String> jvmOptions, List<String> dynamicProperties) {

        static TaskManagerResources compute(String classpath, Path conf, Path logFile)
                throws IOException, InterruptedException {
            ChildJvm tool =
                    ChildJvm.builder(
                                    "flink-bash-java-utils",
                                    "org.apache.flink.runtime.util.bash.BashJavaUtils")
                            .classpath(classpath)
                            .jvmOptions("-Xmx128m")
                            .args("GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString())
                            .logFile(logFile)
                            .start();
            int exit = tool.awaitExit(Duration.ofSeconds(60));
            List<String> results =
                    tool.output(256 * 1024)
                            .lines()
                            .filter(l -> l.startsWith(RESULT_PREFIX))
                            .map(l -> l.substring(RESULT_PREFIX.length()).strip())
                            .toList();
            if (exit != 0 || results.size() < 2) {
                throw new IllegalStateException(
                        "BashJavaUtils GET_TM_RESOURCE_PARAMS failed (exit "
                                + exit
                                + "):\n"
                                + tool.outputTail(30));
            }
            List<String> jvm = List.of(results.get(results.size() - 2).split("\\s+"));
            List<String> dynamic = List.of(results.get(results.size() - 1).split("\\s+"));
            return new TaskManagerResources(jvm, dynamic);
        }
    }
}
