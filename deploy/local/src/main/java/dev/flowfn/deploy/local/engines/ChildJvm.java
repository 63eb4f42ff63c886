package dev.flowfn.deploy.local.engines;

import dev.flowfn.deploy.engine.ExitWithParent;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child {@code java} process (same Java as this JVM) running one engine, its stdout and stderr
 * appended to a log file.
 *
 * <p>{@link #close()} sends SIGTERM, waits up to {@link #STOP_TIMEOUT}, then kills. A shutdown hook
 * does the same if this JVM exits (normally, on SIGINT or SIGTERM) without closing the child. If
 * this JVM dies without running its hooks (SIGKILL, a crash), the child exits by itself: it runs
 * its main class through {@link ExitWithParent}, which watches the pipe this JVM holds as the
 * child's standard input (its class path must hold {@code engine-support}; every engine module
 * depends on it).
 *
 * <p>Threads: the starting thread builds and starts; {@link #close()} may be called from any
 * thread, more than once, and may race with the shutdown hook (both only signal and wait on the
 * same {@link Process}). The environment given to the child (which may hold secrets) is never
 * written to the log file.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final long logStart;
    private final Thread shutdownHook;

    private ChildJvm(String name, Process process, Path logFile, long logStart) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.logStart = logStart;
        this.shutdownHook = new Thread(this::stopOnExit, "flowfn-stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** The exit code once the child has exited; empty while it runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Waits for the child to exit by itself (a one-shot tool).
     *
     * @return its exit code
     * @throws IllegalStateException if it is still running after {@code timeout} (it is then
     *     stopped)
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException(
                    name + " did not finish within " + timeout + "; log: " + logFile);
        }
        return process.exitValue();
    }

    /**
     * What this child has written so far (at most the last {@code maxBytes}), from its log file.
     */
    public String output(int maxBytes) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long from = Math.max(logStart, file.length() - maxBytes);
            byte[] bytes = new byte[(int) Math.max(0, file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of this child's output, for error messages. */
    public String outputTail(int lines) {
        String[] all = output(64 * 1024).split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", List.of(all).subList(from, all.length));
    }

    /**
     * Polls this run's output until a line equals {@code line} (an engine's {@code READY ...}).
     *
     * @throws IllegalStateException with the last lines of the log, when the child exits first or
     *     {@code timeout} passes
     */
    public static void awaitLine(ChildJvm jvm, String line, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!jvm.output(1024 * 1024).lines().anyMatch(line::equals)) {
            String problem = null;
            if (!jvm.isAlive()) {
                problem = "exited during startup (exit code " + jvm.exitCode().orElse(-1) + ")";
            } else if (System.nanoTime() > deadline) {
                problem = "did not print '" + line + "' within " + timeout.toSeconds() + " s";
            }
            if (problem != null) {
                throw new IllegalStateException(
                        "%s %s; last lines of %s:%n%s"
                                .formatted(what, problem, jvm.logFile(), jvm.outputTail(30)));
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL at once, as a crash would (tests). The log file stays. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, wait up to {@link #STOP_TIMEOUT}, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it finds the process gone
        }
    }

    /**
     * Makes every child's shutdown hook wait for {@code orderlyDone} (counted down by the
     * launcher's own hook, which stops the platform in order: job savepoint before Kafka) before it
     * stops its child. JVM shutdown hooks run concurrently; without this, Kafka could die under a
     * savepoint.
     */
    public static void stopAfter(CountDownLatch orderlyDone) {
        orderlyShutdown = orderlyDone;
    }

    private static volatile CountDownLatch orderlyShutdown;

    /**
     * The JVM shutdown hook: lets the launcher's orderly stop go first, then stops what is left.
     */
    private void stopOnExit() {
        CountDownLatch orderly = orderlyShutdown;
        if (orderly != null) {
            try {
                orderly.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stop();
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Collects the command of a child; {@link #start()} copies everything it was given. */
    public static final class Builder {
        private final String name;
        private final String mainClass;
        private String classpath = "";
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path logFile;

        private Builder(String name, String mainClass) {
            this.name = name;
            this.mainClass = mainClass;
        }

        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        public Builder args(String... arguments) {
            args.addAll(List.of(arguments));
            return this;
        }

        /** An environment variable for the child, added to this JVM's environment. Never logged. */
        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        public ChildJvm start() throws IOException {
            if (logFile == null) {
                throw new IllegalStateException("logFile is required for " + name);
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add(ExitWithParent.class.getName());
            command.add(mainClass);
            command.addAll(args);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            // the class path is long and the environment may hold secrets: neither is logged
            String header =
                    "=== flowfn %s starting %s: %s%n"
                            .formatted(Instant.now(), name, String.join(" ", command));
            Files.writeString(
                    logFile, header, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            long logStart = Files.size(logFile);

            List<String> withClasspath = new ArrayList<>(command);
            withClasspath.addAll(1, List.of("-cp", classpath));
            if (Files.isExecutable(SETSID)) {
                // its own session: a Ctrl-C in the terminal reaches the launcher only, which
                // then stops the children in order
                withClasspath.add(0, SETSID.toString());
            }
            // standard input stays a pipe from this JVM, never written: its end-of-file tells
            // ExitWithParent in the child that this JVM is gone
            ProcessBuilder builder =
                    new ProcessBuilder(withClasspath)
                            .redirectInput(ProcessBuilder.Redirect.PIPE)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IOException("cannot start " + name + " with " + command.get(0), e);
            }
            try {
                return new ChildJvm(name, process, logFile, logStart);
            } catch (IllegalStateException shuttingDown) {
                process.destroyForcibly();
                throw shuttingDown;
            }
        }
    }
}
