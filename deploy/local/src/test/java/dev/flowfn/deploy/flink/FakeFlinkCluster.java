package dev.flowfn.deploy.flink;

import dev.flowfn.job.FlowfnJob;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * A Flink session cluster in memory: jobs named as submitted, one slot per parallel instance, a
 * savepoint per stop. Tests decide which runs fail ({@link #refuseParallelism}) and read what was
 * asked of it ({@link #calls}).
 */
final class FakeFlinkCluster implements FlinkCluster {

    final List<String> calls = new ArrayList<>();
    final Map<String, Map<String, String>> parameters = new HashMap<>();
    final Map<String, Snapshot> checkpoints = new HashMap<>();
    private final Map<String, JobSummary> jobs = new LinkedHashMap<>();
    private final Map<String, Integer> parallelism = new HashMap<>();
    private final int slots;
    private int nextId = 1;
    boolean savepointFails;

    /** Runs at these parallelisms are accepted but never get their tasks running. */
    IntPredicate refuseParallelism = p -> false;

    FakeFlinkCluster(int slots) {
        this.slots = slots;
    }

    /** A Flowfn job running as flowfn submit leaves it. */
    String runningJob(int p, Map<String, String> shown) {
        String id = "job" + nextId++;
        jobs.put(id, new JobSummary(id, FlowfnJob.NAME, "RUNNING", 1_000L));
        parallelism.put(id, p);
        parameters.put(id, shown);
        return id;
    }

    @Override
    public URI url() {
        return URI.create("http://flink:8081/");
    }

    @Override
    public Slots slots() {
        int used =
                jobs.values().stream()
                        .filter(j -> !j.isTerminal())
                        .mapToInt(j -> parallelism.get(j.id()))
                        .sum();
        return new Slots(slots, slots - used, 1);
    }

    @Override
    public List<JobSummary> jobs() {
        return List.copyOf(jobs.values());
    }

    @Override
    public Optional<JobDetails> job(String jobId) {
        JobSummary job = jobs.get(jobId);
        if (job == null) {
            return Optional.empty();
        }
        int p = parallelism.get(jobId);
        String status = job.state().equals("RUNNING") ? "RUNNING" : job.state();
        return Optional.of(
                new JobDetails(
                        jobId,
                        job.state(),
                        List.of(
                                new Vertex("registry", 1, 128, status),
                                new Vertex("function group", p, 128, status))));
    }

    @Override
    public Map<String, String> jobParameters(String jobId) {
        return parameters.getOrDefault(jobId, Map.of());
    }

    @Override
    public Optional<String> clusterOption(String key) {
        return Optional.empty();
    }

    @Override
    public String uploadJar(Path jar) {
        calls.add("upload " + jar.getFileName());
        return "uploaded.jar";
    }

    @Override
    public boolean hasJar(String jarId) {
        return jarId.equals("job.jar") || jarId.equals("uploaded.jar");
    }

    @Override
    public String runJar(String jarId, ProgramArgs args, String savepointPath) {
        int p = Integer.parseInt(args.options().get(ClusterJobArgs.PARALLELISM));
        String id = "job" + nextId++;
        calls.add("run " + jarId + " p=" + p + " from " + savepointPath + " as " + id);
        boolean refused = refuseParallelism.test(p);
        jobs.put(id, new JobSummary(id, FlowfnJob.NAME, refused ? "FAILED" : "RUNNING", 2_000L));
        parallelism.put(id, p);
        parameters.put(id, args.options());
        return id;
    }

    @Override
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException {
        calls.add("stop " + jobId + " into " + targetDirectory);
        if (savepointFails) {
            throw new IOException("savepoint of job " + jobId + " failed: disk full");
        }
        end(jobId, "FINISHED");
        return targetDirectory + "/savepoint-" + jobId;
    }

    @Override
    public void cancel(String jobId) {
        calls.add("cancel " + jobId);
        end(jobId, "CANCELED");
    }

    @Override
    public Optional<Snapshot> latestSnapshot(String jobId) {
        return Optional.ofNullable(checkpoints.get(jobId));
    }

    @Override
    public Optional<String> lastFailure(String jobId) {
        return jobs.get(jobId).state().equals("FAILED")
                ? Optional.of("NoResourceAvailableException: not enough slots")
                : Optional.empty();
    }

    private void end(String jobId, String state) {
        JobSummary job = jobs.get(jobId);
        if (!job.isTerminal()) {
            jobs.put(jobId, new JobSummary(jobId, job.name(), state, job.startMillis()));
        }
    }
}
