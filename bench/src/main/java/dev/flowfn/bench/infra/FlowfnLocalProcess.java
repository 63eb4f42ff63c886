package dev.flowfn.bench.infra;

import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.local.ClientConfigFile;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowfn local} as a user runs it ({@code ./flowfn local}): the launcher JVM with the CLI's
 * class path and {@code -Xmx1g}, which starts Kafka and the S3 store as child JVMs, the job on a
 * MiniCluster, and the control server. Stopped with SIGTERM (Ctrl-C's path: final savepoint, then
 * the children). {@value #EXTRA_OPTIONS} adds JVM options to the launcher's (after {@code -Xmx1g},
 * so they win): a GC log, a flight recording, another collector. {@value #EXTRA_ARGS} adds
 * arguments to {@code flowfn local} itself: a job setting ({@code --conf KEY=VALUE}) to measure
 * against its default.
 */
public final class FlowfnLocalProcess implements AutoCloseable {

    /** The environment variable with extra JVM options of the launcher, split at white space. */
    public static final String EXTRA_OPTIONS = "BENCH_LOCAL_JAVA_OPTS";

    /**
     * The environment variable with extra arguments of {@code flowfn local}, split at white space.
     */
    public static final String EXTRA_ARGS = "BENCH_LOCAL_ARGS";

    /** The extra JVM options {@value #EXTRA_OPTIONS} gives; empty without it. */
    public static List<String> extraOptions() {
        return words(System.getenv(EXTRA_OPTIONS));
    }

    /** The extra arguments {@value #EXTRA_ARGS} gives; empty without it. */
    public static List<String> extraArgs() {
        return words(System.getenv(EXTRA_ARGS));
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }

    private final Process process;
    private final Path dataDir;
    private final Path output;
    private final List<String> java;
    private volatile double startSeconds;

    private FlowfnLocalProcess(Process process, Path dataDir, Path output, List<String> java) {
        this.process = process;
        this.dataDir = dataDir;
        this.output = output;
        this.java = java;
    }

    /** Starts it on a new data folder and waits until it prints that it is running. */
    public static FlowfnLocalProcess start(
            Path home, Path dataDir, List<String> args, Duration timeout) throws Exception {
        List<String> cli = new ArrayList<>(List.of("local", "--data-dir", dataDir.toString()));
        cli.addAll(args);
        cli.addAll(extraArgs());
        return launch(home, dataDir, cli, "Flowfn is running", "flowfn local", timeout);
    }

    /**
     * {@code flowfn topology --dir DIR ARGS} (what {@code scripts/topology} runs), waiting until it
     * prints that it is running; its endpoints are then in {@code DIR/topology.properties}.
     */
    public static FlowfnLocalProcess startTopology(
            Path home, Path dir, List<String> args, Duration timeout) throws Exception {
        List<String> cli = new ArrayList<>(List.of("topology", "--dir", dir.toString()));
        cli.addAll(args);
        return launch(home, dir, cli, "Running; SIGTERM", "flowfn topology", timeout);
    }

    private static FlowfnLocalProcess launch(
            Path home,
            Path dataDir,
            List<String> cliArgs,
            String readyLine,
            String what,
            Duration timeout)
            throws Exception {
        Path cli = home.resolve("deploy").resolve("cli").resolve("target");
        Path classpathFile = cli.resolve("classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(
                    classpathFile
                            + " is missing: build the CLI first (mvn -pl deploy/cli -am install)");
        }
        String classpath =
                snapshot(
                        cli.resolve("classes"),
                        Files.readString(classpathFile).strip(),
                        dataDir.resolveSibling(dataDir.getFileName() + "-classpath"));
        List<String> java =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dflowfn.home=" + home,
                        "-cp",
                        classpath,
                        "dev.flowfn.deploy.cli.FlowfnCli");
        List<String> command = new ArrayList<>(java);
        command.add(1, "-Xmx1g");
        command.addAll(2, extraOptions());
        command.addAll(cliArgs);
        Files.createDirectories(dataDir);
        Path output = dataDir.resolveSibling(dataDir.getFileName() + ".out");
        long t0 = System.nanoTime();
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        FlowfnLocalProcess local = new FlowfnLocalProcess(process, dataDir, output, java);
        // a harness stopped by Ctrl-C stops the platform too (close is idempotent)
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        local.close();
                                    } catch (Exception e) {
                                        // exiting anyway
                                    }
                                },
                                "bench-stop-flowfn-local"));
        long deadline = t0 + timeout.toNanos();
        try {
            while (!Files.readString(output).contains(readyLine)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            what + " exited (" + process.exitValue() + "):\n" + tail(output));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            what
                                    + " not running after "
                                    + timeout.toSeconds()
                                    + " s:\n"
                                    + tail(output));
                }
                Clock.sleep(100);
            }
        } catch (Exception e) {
            local.close();
            throw e;
        }
        local.startSeconds = (System.nanoTime() - t0) / 1e9;
        return local;
    }

    /**
     * Runs another {@code flowfn} command ({@code args}) on the same class path with {@code env}
     * added, as an operator would beside the running platform; returns what it printed. Throws if
     * it exits non-zero or runs longer than {@code timeout}.
     */
    public String command(List<String> args, Map<String, String> env, Duration timeout)
            throws Exception {
        List<String> command = new ArrayList<>(java);
        command.add(1, "-Xmx256m");
        command.addAll(args);
        Path out = Files.createTempFile(dataDir.getParent(), "flowfn-" + args.get(0), ".out");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    "flowfn "
                            + args.get(0)
                            + " still running after "
                            + timeout
                            + ":\n"
                            + tail(out));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "flowfn " + args.get(0) + " exited " + p.exitValue() + ":\n" + tail(out));
        }
        return Files.readString(out);
    }

    /** Seconds from start until it printed that it is running. */
    public double startSeconds() {
        return startSeconds;
    }

    /** The HTTP gateway's address, as {@code flowfn local} printed it. */
    public String gatewayUrl() throws IOException {
        for (String line : Files.readAllLines(output)) {
            if (line.trim().startsWith("HTTP gateway")) {
                return line.trim().split("\\s+")[2];
            }
        }
        throw new IllegalStateException("flowfn local printed no HTTP gateway line");
    }

    /** The Kafka bootstrap address, as {@code flowfn local} printed it. */
    public String kafkaBootstrap() throws IOException {
        for (String line : Files.readAllLines(output)) {
            if (line.trim().startsWith("Kafka ")) {
                return line.trim().split("\\s+")[1];
            }
        }
        throw new IllegalStateException("flowfn local printed no Kafka line");
    }

    public ControlClient client() throws IOException {
        ClientConfigFile config = ClientConfigFile.read(dataDir.resolve("client.json"));
        return new ControlClient(URI.create(config.server()), config.token());
    }

    /** Resident memory of the launcher and each of its child processes, in bytes, by role. */
    public Map<String, Long> residentMemory() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("launcher (job on MiniCluster, control server)", Memory.rss(process.pid()));
        process.descendants()
                .forEach(
                        p -> {
                            String cmd = p.info().commandLine().orElse("");
                            String role =
                                    cmd.contains("kafka.Kafka")
                                            ? "Kafka broker"
                                            : cmd.contains("s3store")
                                                    ? "S3 store"
                                                    : "other " + p.pid();
                            out.merge(role, Memory.rss(p.pid()), Long::sum);
                        });
        return out;
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /**
     * A private copy of the CLI's class path ({@code classes} and the jars it lists): a build that
     * reinstalls the same modules while the benchmark runs must not swap classes under the
     * launcher, which loads them lazily.
     */
    private static String snapshot(Path classes, String jars, Path into) throws IOException {
        Path lib = into.resolve("lib");
        Files.createDirectories(lib);
        List<String> entries = new ArrayList<>();
        Path classesCopy = into.resolve("classes");
        try (var files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = classesCopy.resolve(classes.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        entries.add(classesCopy.toString());
        int n = 0;
        for (String jar : jars.split(File.pathSeparator)) {
            if (jar.isBlank()) {
                continue;
            }
            Path copy = lib.resolve((n++) + "-" + Path.of(jar).getFileName());
            Files.copy(Path.of(jar), copy);
            entries.add(copy.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
