package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.examples.hello.Upper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowfn local} as a user runs it: its own process, driven by CLI processes; stopped
 * (SIGTERM, as Ctrl-C does) and restarted on the same data folder.
 */
class FlowfnLocalProcessIT {

    @TempDir Path dataDir;
    private Process local;
    private Thread reader;
    private final List<String> localOutput = new CopyOnWriteArrayList<>();

    @Test
    void deployInvokeStopRestartInvoke() throws Exception {
        long t0 = System.nanoTime();
        startLocal();
        System.out.printf("flowfn local ready in %.1f s (first start)%n", seconds(t0));

        String jar =
                Path.of(Upper.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
        long t1 = System.nanoTime();
        Cli deploy =
                cli(
                        "deploy",
                        "--name",
                        "upper",
                        "--jar",
                        jar,
                        "--handler",
                        Upper.class.getName(),
                        "--memory",
                        "256",
                        "--timeout",
                        "5s",
                        "--trigger",
                        "kafka:topic=words");
        assertThat(deploy.exit).as(deploy.err).isZero();
        assertThat(deploy.out).contains("Deployed upper version 1");
        Cli invoke = cli("invoke", "upper", "--data", "\"hello\"");
        assertThat(invoke.exit).as(invoke.err).isZero();
        assertThat(invoke.out.trim()).isEqualTo("\"HELLO\"");
        System.out.printf(
                "deploy -> first result: %.1f s (two CLI processes included)%n", seconds(t1));

        logsAndUsageAsAUserSeesThem();

        Cli bad =
                cli(
                        "deploy",
                        "--name",
                        "Bad Name",
                        "--jar",
                        jar,
                        "--handler",
                        Upper.class.getName());
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.err).contains("function name 'Bad Name' must match");

        // SIGTERM, as a service manager stops it (Ctrl-C's SIGINT takes the same path, but a JVM
        // started from a background job of a non-interactive shell ignores SIGINT): the launcher
        // stops the platform in order. Sent with kill(1): Process.destroy() would also close our
        // end of its stdout, and its last lines would be lost.
        new ProcessBuilder("kill", "-TERM", Long.toString(local.pid())).start().waitFor();
        assertThat(local.waitFor(120, TimeUnit.SECONDS)).as("flowfn local stops").isTrue();
        reader.join(10_000); // the last lines it printed
        assertThat(String.join("\n", localOutput))
                .as("exit code " + local.exitValue() + "; its log ends:\n" + launcherLogTail())
                .contains("job stopped with savepoint")
                .contains("Stopped.");
        // the S3 secret and the webhook token: how to read them is printed, never their values
        Properties s3 = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("s3-credentials.properties"))) {
            s3.load(in);
        }
        String printed = String.join("\n", localOutput);
        assertThat(printed)
                .contains("export AWS_ACCESS_KEY_ID=" + s3.getProperty("access.key"))
                .contains("export AWS_SECRET_ACCESS_KEY=")
                .contains("/hooks/s3")
                .doesNotContain(s3.getProperty("secret.key"))
                .doesNotContain(Files.readString(dataDir.resolve("s3-webhook-token")).trim());

        long t2 = System.nanoTime();
        localOutput.clear();
        startLocal();
        System.out.printf("flowfn local ready in %.1f s (restart)%n", seconds(t2));
        assertThat(String.join("\n", localOutput)).contains("restored from");

        Cli again = cli("invoke", "upper", "--data", "\"again\"");
        assertThat(again.exit).as(again.err).isZero();
        assertThat(again.out.trim()).isEqualTo("\"AGAIN\"");
        Cli list = cli("list");
        assertThat(list.out).contains("upper").contains("kafka:topic=words");
    }

    @Test
    void killingTheLauncherLeavesNoProcessBehind() throws Exception {
        startLocal();
        List<ProcessHandle> children = local.descendants().toList();
        assertThat(children)
                .as("the engines flowfn local started (Kafka, store, MQTT, Connect)")
                .hasSizeGreaterThanOrEqualTo(4);

        local.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: no hook runs

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(children.stream().filter(ProcessHandle::isAlive).map(this::describe))
                .as("processes still running 10 s after kill -9 of the launcher")
                .isEmpty();
    }

    private String describe(ProcessHandle process) {
        return process.pid() + " " + process.info().commandLine().orElse("?");
    }

    private void logsAndUsageAsAUserSeesThem() throws Exception {
        Cli logs = cli("logs", "upper", "--since", "10m");
        assertThat(logs.exit).as(logs.err).isZero();
        assertThat(logs.out).contains("DEBUG").contains("upper-cased 7 bytes");

        List<String> followed = new CopyOnWriteArrayList<>();
        Process follow = java("logs", "upper", "-f", "--data-dir", dataDir.toString()).start();
        CliProcesses.follow(follow, followed, null);
        try {
            Cli traced = cli("invoke", "upper", "--data", "\"followed\"", "-v");
            String id = traced.err.replaceAll("(?s).*invocation ([0-9a-f-]{36}).*", "$1");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (followed.stream().noneMatch(l -> l.contains(id))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(followed)
                    .as("logs -f shows the new invocation " + id)
                    .anyMatch(l -> l.contains(id));
        } finally {
            follow.destroy();
        }

        Thread.sleep(4_000); // a 2 s metering window closes
        Cli usage = cli("usage", "--since", "1h");
        assertThat(usage.exit).as(usage.err).isZero();
        assertThat(usage.out).contains("function").contains("billedMs").contains("upper");
        Cli csv = cli("usage", "upper", "--since", "1h", "--window", "1h", "--format", "csv");
        assertThat(csv.out.lines().findFirst())
                .contains(
                        "function,version,window,invocations,errors,billedMs,gbSeconds,p50Ms,p99Ms,cost");
        long invocations =
                csv.out.lines().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[3])).sum();
        assertThat(invocations).as("the invocations metered so far").isGreaterThanOrEqualTo(2);
    }

    @AfterEach
    void stopLocal() throws InterruptedException {
        if (local == null) {
            return;
        }
        List<ProcessHandle> engines = local.descendants().toList();
        if (local.isAlive()) {
            local.destroy();
            if (!local.waitFor(120, TimeUnit.SECONDS)) {
                local.destroyForcibly();
            }
        }
        // never leave an engine behind, whatever the test did to the launcher
        engines.forEach(ProcessHandle::destroyForcibly);
    }

    private void startLocal() throws Exception {
        local =
                java(
                                "local",
                                "--data-dir",
                                dataDir.toString(),
                                "--checkpoint-interval",
                                "500ms",
                                "--conf",
                                "flowfn.metering.window=2s",
                                "--conf",
                                "flowfn.metering.max-delay=500ms")
                        .redirectErrorStream(true)
                        .start();
        reader = CliProcesses.follow(local, localOutput, "[local] ");
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (localOutput.stream().noneMatch(l -> l.startsWith("Ready in"))) {
            assertThat(local.isAlive()).as("flowfn local exited: " + localOutput).isTrue();
            assertThat(System.nanoTime()).as("flowfn local not ready in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The last lines of the launcher's own log, for failure messages. */
    private String launcherLogTail() {
        try {
            List<String> lines =
                    Files.readAllLines(dataDir.resolve("logs").resolve("flowfn.log")).stream()
                            .filter(l -> !l.contains("Name collision")) // Flink's metric noise
                            .toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no launcher log: " + e + ")";
        }
    }

    private record Cli(int exit, String out, String err) {}

    private Cli cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dataDir.toString());
        Process p = java(all.toArray(String[]::new)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Cli(p.exitValue(), out, err);
    }

    private static ProcessBuilder java(String... args) {
        return CliProcesses.flowfn("768m", args);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
