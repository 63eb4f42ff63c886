package dev.flowfn.deploy.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowfn.deploy.cli.CliProcesses;
import dev.flowfn.deploy.cli.NumberedEvents;
import dev.flowfn.deploy.control.client.ControlClient;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production layout on this machine as {@code flowfn topology} starts it (what {@code
 * scripts/topology} runs): 3 Kafka nodes, a Flink JobManager with 2 TaskManagers, 2 Connect
 * workers, 2 control servers, each its own process under the topology's supervisor. Under a steady
 * stream of numbered events, and with a cron function ticking every second, it kills with {@code
 * kill -9}, one at a time, a TaskManager running the job, a Kafka node, the Connect worker running
 * the timer and a control server (the other must serve meanwhile), waiting each time for the
 * supervisor to bring the process back and for results to flow again; then it rescales the job 2 ->
 * 4 -> 2 with {@code flowfn scale}. At the end: every event's result committed exactly once, every
 * second's tick committed exactly once with none missing, and the metering windows' invocation
 * totals equal to the committed results.
 */
class TopologyIT {

    private static final int EVENTS_PER_SECOND = 50;

    static RunningTopology topology;

    @BeforeAll
    static void start() throws Exception {
        topology =
                RunningTopology.start(
                        Path.of("target", "topology-it").toAbsolutePath(),
                        "--checkpoint-interval",
                        "1s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void survivesAKillOfEachKindAndRescalesWithEveryResultTickAndMeterExact() throws Exception {
        ControlClient first = topology.client(0);
        ControlClient second = topology.client(1);
        topology.deployUpper(first, "upper", "kafka:topic=" + RunningTopology.TOPIC);
        topology.deployUpper(first, "ticks", "cron:expr=*/1 * * * * ?,catchup=all");
        assertThat(second.describe("upper").name())
                .as("the other replica serves the same functions")
                .isEqualTo("upper");
        int probes = topology.awaitUpperLive();

        int produced;
        long scaledDown;
        try (NumberedEvents events =
                NumberedEvents.start(
                        topology.bootstrap, RunningTopology.TOPIC, EVENTS_PER_SECOND)) {
            topology.awaitResults(200);
            String job = topology.runningJob();
            int failures = failures(job);
            killAndAwaitRecovery(taskManagerRunning(job), () -> {});
            awaitFailover(job, failures);
            killAndAwaitRecovery("kafka-2", () -> {});
            killAndAwaitRecovery(timerWorker(), () -> {});
            killAndAwaitRecovery(
                    "server-1",
                    () -> {
                        assertThat(second.list())
                                .as("server-2 answers while server-1 is down")
                                .anyMatch(f -> f.name().equals("upper"));
                        assertThat(second.describe("ticks").name()).isEqualTo("ticks");
                    });
            scale(4);
            topology.awaitResults(topology.committedResults().upper().size() + 200);
            scale(2);
            scaledDown = System.currentTimeMillis();
            topology.awaitResults(topology.committedResults().upper().size() + 200);
            events.close();
            assertThat(events.failure()).as("producer errors").isNull();
            produced = events.acknowledged();
        }
        assertThat(produced).isGreaterThan(1_000);

        RunningTopology.Results results = topology.awaitResults(produced + probes);
        assertThat(results.missingOrDuplicated(produced))
                .as("events without exactly one committed result")
                .isEmpty();
        assertThat(results.upper())
                .as("numbered events and probes only")
                .hasSize(produced + probes);

        assertThat(results.ticksMissingOrRepeated())
                .as("seconds without exactly one committed tick")
                .isEmpty();
        TreeMap<Instant, Integer> ticks = results.ticks();

        long committed = produced + probes;
        long metered = topology.awaitMetered("upper", committed);
        assertThat(metered)
                .as(
                        "invocations of upper in the metering windows (each succeeded once);"
                                + " transactions open now: %s",
                        topology.openTransactions())
                .isEqualTo(committed);
        // the job stopped for the last rescale wrote into transactions its savepoint does not hold;
        // its successor must end each (the connector's POOLING naming left one open after a
        // downscale: FLINK-40626)
        assertThat(topology.openTransactions())
                .as("transactions open now")
                .noneMatch(t -> t.startMillis() < scaledDown);
        System.out.printf(
                "%d events and %d ticks, each committed once, through 4 kills and 2 rescales;"
                        + " metering %d invocations%n",
                produced, ticks.size(), metered);
        assertNoSecretPrinted();
    }

    /** Failures in {@code job}'s exception history (each one restarted it). */
    private static int failures(String job) throws Exception {
        return topology.flink("/jobs/" + job + "/exceptions")
                .path("exceptionHistory")
                .path("entries")
                .size();
    }

    /**
     * Waits until {@code job}'s exception history has more than {@code before} failures: the kill
     * of the TaskManager failed the job over (the REST API refreshes what it shows every few
     * seconds).
     */
    private static void awaitFailover(String job, int before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (failures(job) <= before) {
            assertThat(System.nanoTime())
                    .as("the job failed over after its TaskManager was killed")
                    .isLessThan(deadline);
            Thread.sleep(1_000);
        }
    }

    /**
     * The supervisor's name of a TaskManager running tasks of the function group of {@code job}.
     */
    private static String taskManagerRunning(String job) throws Exception {
        JsonNode vertex = topology.functionGroup(job);
        JsonNode tms =
                topology.flink(
                                "/jobs/"
                                        + job
                                        + "/vertices/"
                                        + vertex.path("id").asText()
                                        + "/taskmanagers")
                        .path("taskmanagers");
        String id = tms.path(0).path("taskmanager-id").asText();
        assertThat(id).as("taskmanagers of the function group: %s", tms).startsWith("taskmanager-");
        return "flink-" + id;
    }

    /** The Connect worker that runs the timer connector's task. */
    private static String timerWorker() throws Exception {
        List<String> urls = topology.list("connect.urls");
        String status =
                java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(
                                                URI.create(
                                                        urls.get(0)
                                                                + "/connectors/flowfn-timer/status"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
        for (int n = 1; n <= urls.size(); n++) {
            String id = URI.create(urls.get(n - 1)).getAuthority();
            if (status.contains("\"worker_id\":\"" + id + "\"")) {
                return "connect-" + n;
            }
        }
        throw new AssertionError("no worker runs the timer: " + status);
    }

    /**
     * Kills {@code name} with {@code kill -9}, runs {@code whileDown}, waits for the supervisor to
     * start it again and for 100 more results to be committed.
     */
    private static void killAndAwaitRecovery(String name, ThrowingRunnable whileDown)
            throws Exception {
        long pid = Long.parseLong(topology.property("pid." + name));
        int before = topology.committedResults().upper().size();
        long t = System.nanoTime();
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -9 %d (%s)", pid, name).isZero();
        whileDown.run();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (topology.property("pid." + name).equals(Long.toString(pid))) {
            assertThat(System.nanoTime())
                    .as("%s started again:\n%s", name, String.join("\n", topology.printed))
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
        topology.awaitResults(before + 100);
        System.out.printf(
                "killed %s (pid %d): back and results flowing after %.1f s%n",
                name, pid, (System.nanoTime() - t) / 1e9);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** {@code flowfn scale} to {@code parallelism}, as an operator runs it. */
    private static void scale(int parallelism) throws Exception {
        ProcessBuilder pb =
                CliProcesses.flowfn(
                                "256m",
                                "scale",
                                "--flink",
                                topology.property("flink.rest"),
                                "--parallelism",
                                Integer.toString(parallelism),
                                "--kafka",
                                topology.bootstrap)
                        .redirectErrorStream(true);
        Properties s3 = s3Keys();
        pb.environment().put("FLOWFN_S3_ACCESS_KEY", s3.getProperty("access.key"));
        pb.environment().put("FLOWFN_S3_SECRET_KEY", s3.getProperty("secret.key"));
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = CliProcesses.follow(p, lines, "[flowfn scale] ");
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        reader.join(5_000);
        topology.printed.addAll(lines);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(String.join("\n", lines)).contains("parallelism " + parallelism);
        System.out.printf(
                "scaled to %d; transactions open: %s%n", parallelism, topology.openTransactions());
    }

    private static Properties s3Keys() throws Exception {
        Properties s3 = new Properties();
        try (Reader r =
                Files.newBufferedReader(Path.of(topology.property("s3.credentials.file")))) {
            s3.load(r);
        }
        return s3;
    }

    /** Neither the API token nor the S3 keys show in anything the topology or a command printed. */
    private static void assertNoSecretPrinted() throws Exception {
        Properties s3 = s3Keys();
        List<String> secrets =
                List.of(topology.token, s3.getProperty("access.key"), s3.getProperty("secret.key"));
        for (String line : topology.printed) {
            assertThat(line).doesNotContain(secrets);
        }
    }
}
