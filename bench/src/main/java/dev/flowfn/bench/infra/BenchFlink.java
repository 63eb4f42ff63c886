package dev.flowfn.bench.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.job.FlowfnJob;
import dev.flowfn.job.local.EmbeddedFlink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One Flink MiniCluster for the whole run, configured as {@code flowfn local} configures its own
 * (checkpoint interval, hashmap state, 1 ms buffer timeout, parallelism 2 on 4 slots). The Flowfn
 * job and the bare baseline job run on it one after the other, so both see the same JVM, JIT and
 * cluster.
 *
 * <p>{@code EmbeddedFlink.submitFlowfn} takes the cluster's configuration for the job; the
 * scenarios need per-job options (trigger topics, consumer group), so this class builds the graph
 * with {@link FlowfnJob#build} itself and submits it the same way.
 */
public final class BenchFlink implements AutoCloseable {

    public static final int PARALLELISM = 2;

    /** Reads of the REST API's metrics, a second apart, before {@link #metrics} gives up. */
    private static final int METRICS_ATTEMPTS = 5;

    private final MiniCluster cluster;
    private final Configuration base;

    private BenchFlink(MiniCluster cluster, Configuration base) {
        this.cluster = cluster;
        this.base = base;
    }

    public static BenchFlink start(Path checkpoints, Duration checkpointInterval) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", checkpointInterval.toMillis() + "ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("state.backend.type", "hashmap");
        conf.setString("execution.buffer-timeout.interval", "1ms");
        conf.setString("restart-strategy.type", "disable");
        conf.setString("parallelism.default", Integer.toString(PARALLELISM));
        conf.setString("rest.address", "127.0.0.1");
        conf.setString("rest.bind-port", "0");
        // checkpoint statistics as they are, not as cached up to 3 s ago (scenario 9 polls them)
        conf.setString("rest.cache.checkpoint-statistics.timeout", "100ms");
        // every checkpoint of a latency phase (scenario 4 matches its committed results to them)
        conf.setString("web.checkpoints.history", "100");
        conf = EmbeddedFlink.loopbackOnly(conf);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(PARALLELISM * 2)
                                .build());
        cluster.start();
        return new BenchFlink(cluster, conf);
    }

    /** The cluster's configuration plus {@code options}: what a job of this run is built with. */
    public Configuration jobConfiguration(Consumer<Configuration> options) {
        Configuration conf = new Configuration(base);
        options.accept(conf);
        return conf;
    }

    /** Builds the Flowfn pipeline with {@code conf} and runs it; returns once every task runs. */
    public JobID submitFlowfn(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        FlowfnJob.build(env, conf);
        return submit(env, FlowfnJob.NAME);
    }

    /** Runs what {@code env} holds; returns once every task runs. */
    public JobID submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        JobID job = cluster.submitJob(graph).get().getJobID();
        awaitRunning(job, Duration.ofSeconds(60));
        return job;
    }

    private void awaitRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var graph = cluster.getExecutionGraph(job).get();
            JobStatus status = graph.getState();
            if (status.isGloballyTerminalState()) {
                String cause =
                        graph.getFailureInfo() == null
                                ? ""
                                : ": " + graph.getFailureInfo().getExceptionAsString();
                throw new IllegalStateException("job ended while starting, " + status + cause);
            }
            boolean allRunning = status == JobStatus.RUNNING;
            for (var vertex : graph.getAllExecutionVertices()) {
                allRunning &= vertex.getExecutionState() == ExecutionState.RUNNING;
            }
            if (allRunning) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("job " + job + " not running after " + timeout);
    }

    /**
     * Fails with the job's own error if it stopped running (a benchmark must not measure a dead
     * job).
     */
    public void checkRunning(JobID job) throws Exception {
        var graph = cluster.getExecutionGraph(job).get();
        if (graph.getState() != JobStatus.RUNNING) {
            String cause =
                    graph.getFailureInfo() == null
                            ? ""
                            : ": " + graph.getFailureInfo().getExceptionAsString();
            throw new IllegalStateException(
                    "job " + graph.getJobName() + " is " + graph.getState() + cause);
        }
    }

    /**
     * The job's operator metrics whose name contains {@code part} (aggregated over subtasks: the
     * max of each), read from the MiniCluster's REST API; empty if the API does not answer, or has
     * none of them after {@link #METRICS_ATTEMPTS} reads a second apart.
     */
    public Map<String, Double> metrics(JobID job, String part) throws InterruptedException {
        // the REST API answers from a store its first request only starts to fill (it fetches
        // the task managers' metrics asynchronously), so the first answers can be empty
        Map<String, Double> out = readMetrics(job, part);
        for (int attempt = 1; out.isEmpty() && attempt < METRICS_ATTEMPTS; attempt++) {
            Thread.sleep(1_000);
            out = readMetrics(job, part);
        }
        return out;
    }

    private Map<String, Double> readMetrics(JobID job, String part) {
        Map<String, Double> out = new TreeMap<>();
        try {
            String base = cluster.getRestAddress().get().toString();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            var jobInfo = json.readTree(get(http, base + "/jobs/" + job));
            for (var vertex : jobInfo.path("vertices")) {
                String path =
                        base
                                + "/jobs/"
                                + job
                                + "/vertices/"
                                + vertex.path("id").asText()
                                + "/subtasks/metrics";
                List<String> names = new ArrayList<>();
                for (var m : json.readTree(get(http, path))) {
                    if (m.path("id").asText().contains(part)) {
                        names.add(m.path("id").asText());
                    }
                }
                if (names.isEmpty()) {
                    continue;
                }
                String query =
                        path
                                + "?agg=max&get="
                                + java.net.URLEncoder.encode(
                                        String.join(",", names),
                                        java.nio.charset.StandardCharsets.UTF_8);
                for (var m : json.readTree(get(http, query))) {
                    out.put(m.path("id").asText(), m.path("max").asDouble());
                }
            }
        } catch (Exception e) {
            out.put("unavailable: " + e.getClass().getSimpleName(), Double.NaN);
        }
        return out;
    }

    /**
     * The job's last completed checkpoint as the MiniCluster's REST API reports it ({@code
     * /jobs/<id>/checkpoints}): its id, {@code state_size} and {@code checkpointed_size}, and the
     * count of completed checkpoints; null while none has completed.
     */
    public Checkpoint lastCheckpoint(JobID job) throws Exception {
        var stats = checkpointStats(job);
        var latest = stats.path("latest").path("completed");
        if (latest.isMissingNode() || latest.isNull() || !latest.has("id")) {
            return null;
        }
        return new Checkpoint(
                latest.path("id").asLong(),
                latest.path("state_size").asLong(),
                latest.path("checkpointed_size").asLong(),
                stats.path("counts").path("completed").asLong());
    }

    /**
     * The end-to-end durations of the job's completed checkpoints, from the REST summary of {@code
     * /jobs/<id>/checkpoints}, as {@code "p50 X ms, p99 Y ms, max Z ms (N completed)"}; a note
     * saying so if the API does not answer (a scenario's figures stand without it).
     */
    public String checkpointDurations(JobID job) {
        JsonNode stats;
        try {
            stats = checkpointStats(job);
        } catch (Exception e) {
            return "unavailable: " + e.getClass().getSimpleName();
        }
        var e2e = stats.path("summary").path("end_to_end_duration");
        return String.format(
                "p50 %.0f ms, p99 %.0f ms, max %d ms (%d completed)",
                e2e.path("p50").asDouble(),
                e2e.path("p99").asDouble(),
                e2e.path("max").asLong(),
                stats.path("counts").path("completed").asLong());
    }

    /**
     * Where the task threads of the job spent its checkpoints, per task: for each completed
     * checkpoint still in the REST history, the largest subtask figure of the start delay (trigger
     * to the first barrier's arrival), the alignment (first barrier to last), and the synchronous
     * part of the snapshot (the task thread's own pause); reported as the median and the largest
     * over those checkpoints, {@code "function group: start delay 3/9, alignment 1/12, sync 1/4 ms;
     * ..."}; a note saying so if the API does not answer.
     */
    public String checkpointPhases(JobID job) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var json = new ObjectMapper();
            String base = cluster.getRestAddress().get() + "/jobs/" + job;
            Map<String, String> names = new HashMap<>();
            for (JsonNode v : json.readTree(get(http, base)).path("vertices")) {
                names.put(v.path("id").asText(), v.path("name").asText());
            }
            String[] phases = {"start delay", "alignment", "sync"};
            Map<String, List<long[]>> byTask = new TreeMap<>();
            for (JsonNode c : checkpointStats(job).path("history")) {
                if (!"COMPLETED".equals(c.path("status").asText())) {
                    continue;
                }
                for (var vertex : names.entrySet()) {
                    JsonNode summary =
                            json.readTree(
                                            get(
                                                    http,
                                                    base
                                                            + "/checkpoints/details/"
                                                            + c.path("id").asLong()
                                                            + "/subtasks/"
                                                            + vertex.getKey()))
                                    .path("summary");
                    byTask.computeIfAbsent(shortName(vertex.getValue()), k -> new ArrayList<>())
                            .add(
                                    new long[] {
                                        summary.path("start_delay").path("max").asLong(),
                                        summary.path("alignment")
                                                .path("duration")
                                                .path("max")
                                                .asLong(),
                                        summary.path("checkpoint_duration")
                                                .path("sync")
                                                .path("max")
                                                .asLong()
                                    });
                }
            }
            StringJoiner out = new StringJoiner("; ");
            byTask.forEach(
                    (task, checkpoints) -> {
                        StringJoiner figures = new StringJoiner(", ");
                        for (int i = 0; i < phases.length; i++) {
                            int phase = i;
                            long[] sorted =
                                    checkpoints.stream()
                                            .mapToLong(f -> f[phase])
                                            .sorted()
                                            .toArray();
                            figures.add(
                                    phases[i]
                                            + " "
                                            + sorted[sorted.length / 2]
                                            + "/"
                                            + sorted[sorted.length - 1]);
                        }
                        out.add(task + ": " + figures + " ms");
                    });
            return out.toString();
        } catch (Exception e) {
            return "unavailable: " + e.getClass().getSimpleName();
        }
    }

    /** A task's name without Flink's chaining arrows and operator details. */
    private static String shortName(String vertexName) {
        String first = vertexName.split(" -> ")[0];
        int paren = first.indexOf('(');
        return (paren > 0 ? first.substring(0, paren) : first).trim();
    }

    /** {@code /jobs/<id>/checkpoints} of the MiniCluster's REST API. */
    private JsonNode checkpointStats(JobID job) throws Exception {
        String base = cluster.getRestAddress().get().toString();
        return new ObjectMapper()
                .readTree(
                        get(
                                java.net.http.HttpClient.newHttpClient(),
                                base + "/jobs/" + job + "/checkpoints"));
    }

    /**
     * The trigger and last acknowledgement (epoch ms) of each completed checkpoint in the REST
     * history (the last 100); empty if the API does not answer.
     */
    public List<CheckpointTimes> completedCheckpointTimes(JobID job) {
        List<CheckpointTimes> out = new ArrayList<>();
        try {
            for (JsonNode c : checkpointStats(job).path("history")) {
                if ("COMPLETED".equals(c.path("status").asText())) {
                    out.add(
                            new CheckpointTimes(
                                    c.path("trigger_timestamp").asLong(),
                                    c.path("latest_ack_timestamp").asLong()));
                }
            }
        } catch (Exception e) {
            return List.of();
        }
        return out;
    }

    /** A completed checkpoint's trigger and last acknowledgement, epoch ms. */
    public record CheckpointTimes(long triggeredMs, long acknowledgedMs) {}

    /** A completed checkpoint's figures, sizes in bytes. */
    public record Checkpoint(long id, long stateSize, long checkpointedSize, long completed) {}

    private static String get(java.net.http.HttpClient http, String uri) throws Exception {
        return http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Cancels the job and waits until it has stopped. */
    public void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cluster.getJobStatus(job).get().isGloballyTerminalState()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "job " + job + " did not stop within 60 s of cancel");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
