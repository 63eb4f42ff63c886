package dev.flowfn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.BenchKafka;
import dev.flowfn.bench.infra.BenchTopology;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Functions;
import dev.flowfn.bench.infra.OffsetProgress;
import dev.flowfn.bench.infra.OffsetProgress.Throughput;
import dev.flowfn.deploy.local.engines.ChildJvm;
import dev.flowfn.deploy.local.engines.FlinkStandaloneCluster;
import dev.flowfn.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 12: scale-out on a real multi-process cluster in reactive mode. {@code flowfn topology
 * --reactive} runs the job on an application-mode JobManager with one TaskManager of 2 slots
 * (parallelism 2); backlogs of no-op events are measured (best of 2), a second TaskManager is
 * started (the job rescales to 4 by itself), and backlogs of the same size are measured again. The
 * figure is the steady rate with 2 TaskManagers over the rate with 1, same run; also the time from
 * starting the TaskManager to the job running at parallelism 4.
 */
final class ScaleOutScenario {

    private static final String TOPIC = "bench.scale-out";
    private static final int PARTITIONS = 4;
    private static final int ROUNDS = 2;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Profile profile;
    private final Path home;
    private final Path work;

    ScaleOutScenario(Profile profile, Path home, Path work) {
        this.profile = profile;
        this.home = home;
        this.work = work;
    }

    void run(Report report) throws Exception {
        Report.Scenario s =
                report.scenario(12, "Scale-out in reactive mode").runtime(Functions.EMBEDDED);
        Path dir = work.resolve("topology");
        ChildJvm added = null;
        try (BenchTopology topology =
                        BenchTopology.start(
                                home,
                                dir,
                                List.of(
                                        "--reactive",
                                        "--brokers",
                                        "1",
                                        "--taskmanagers",
                                        "1",
                                        "--slots",
                                        "2",
                                        "--connect-workers",
                                        "1",
                                        "--servers",
                                        "1",
                                        "--checkpoint-interval",
                                        profile.checkpointInterval().toMillis() + "ms"));
                Functions functions =
                        new Functions(topology.kafka(), work.resolve("scale-out-fns"))) {
            String flink = topology.endpoint("flink.rest");
            BenchKafka kafka = topology.kafka();
            topology.createTopic(TOPIC, PARTITIONS);
            functions.deploy(functions.spec("scale-out", Noop.class, TOPIC));
            functions.awaitReady(Duration.ofMinutes(3));
            awaitParallelism(flink, 2, Duration.ofMinutes(2));
            long backlog = profile.workerBacklog();
            Throughput one = best(kafka, backlog);

            long t = System.nanoTime();
            FlinkStandaloneCluster cluster = FlinkStandaloneCluster.existing(dir.resolve("flink"));
            added = cluster.startTaskManager(2);
            cluster.awaitSlots(4);
            double slotsSeconds = (System.nanoTime() - t) / 1e9;
            awaitParallelism(flink, 4, Duration.ofMinutes(3));
            double rescaleSeconds = (System.nanoTime() - t) / 1e9;
            functions.awaitReady(Duration.ofMinutes(3));
            Throughput two = best(kafka, backlog);

            Map<String, Object> d = new LinkedHashMap<>();
            d.put("backlogEvents", backlog);
            d.put("rounds", "best of " + ROUNDS + " each");
            d.put("oneTaskManager", one.details());
            d.put("twoTaskManagers", two.details());
            d.put("cores", Runtime.getRuntime().availableProcessors());
            s.row(
                    new Report.Row(
                            "events/s at steady rate with 2 TaskManagers (reactive mode,"
                                    + " parallelism 4), 1 no-op function",
                            two.writtenPerSecond(),
                            one.writtenPerSecond(),
                            "events/s",
                            "the same with 1 TaskManager (parallelism 2), this run",
                            ">= 1.6x",
                            two.writtenPerSecond() / one.writtenPerSecond() >= 1.6,
                            d,
                            "Every process of the cluster (Kafka, JobManager, TaskManagers,"
                                    + " Connect, control server, this harness) shares this"
                                    + " machine's "
                                    + Runtime.getRuntime().availableProcessors()
                                    + " cores: a second TaskManager adds slots, not CPU."));
            s.row(
                    new Report.Row(
                            "reactive rescale: second TaskManager started -> job running at"
                                    + " parallelism 4",
                            rescaleSeconds,
                            slotsSeconds,
                            "s",
                            "the same TaskManager started -> its slots registered (its own start)",
                            "none set",
                            null,
                            Map.of(),
                            "the difference is Flink's: the resource-stabilization-timeout (10 s as"
                                    + " flowfn topology sets it), then a restart of the job from its latest"
                                    + " checkpoint at the new parallelism"));
        } finally {
            if (added != null) {
                added.close();
            }
        }
    }

    /**
     * The better of {@link #ROUNDS} backlogs: the first after a rescale runs on a TaskManager JVM
     * whose code is not compiled yet.
     */
    private Throughput best(BenchKafka kafka, long count) throws Exception {
        Throughput best = null;
        for (int round = 0; round < ROUNDS; round++) {
            Throughput t = measure(kafka, count);
            if (best == null || t.writtenPerSecond() > best.writtenPerSecond()) {
                best = t;
            }
        }
        return best;
    }

    /** A backlog released at once, measured from the first result written to the steady rate. */
    private Throughput measure(BenchKafka kafka, long count) throws Exception {
        OffsetProgress progress = new OffsetProgress(kafka, Topics.RESULTS);
        try (Events.Backlog backlog = Events.backlog(kafka, List.of(TOPIC), count)) {
            backlog.release();
            return progress.measure(
                    count,
                    profile.throughputWarmup(),
                    profile.throughputMeasure(),
                    Duration.ofMinutes(10),
                    () -> {});
        } finally {
            progress.close();
        }
    }

    private static void awaitParallelism(String flink, int parallelism, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            seen = functionGroupParallelism(flink);
            if (seen == parallelism) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "the job did not reach parallelism " + parallelism + " (last seen " + seen + ")");
    }

    /** The running job's function group parallelism, or -1 while no job runs. */
    private static int functionGroupParallelism(String flink) throws Exception {
        for (JsonNode job : get(flink + "/jobs/overview").path("jobs")) {
            if (job.path("state").asText().equals("RUNNING")) {
                for (JsonNode v :
                        get(flink + "/jobs/" + job.path("jid").asText()).path("vertices")) {
                    if (v.path("name").asText().contains("function group")) {
                        return v.path("status").asText().equals("RUNNING")
                                ? v.path("parallelism").asInt()
                                : -1;
                    }
                }
            }
        }
        return -1;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
