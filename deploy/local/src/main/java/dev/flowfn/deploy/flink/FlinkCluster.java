package dev.flowfn.deploy.flink;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Flowfn asks of a Flink 2.2 cluster: {@link FlinkRestClient} over its REST API; tests stand
 * in for it with a fake. Every method blocks until the cluster answers and reports a failure as an
 * {@link IOException} that says what to check.
 *
 * <p>Threads: implementations are safe for use by several threads.
 */
public interface FlinkCluster {

    Duration POLL_INTERVAL = Duration.ofMillis(200);

    /** The REST URL, also the web UI's. */
    URI url();

    /** Task slots in total and free ({@code GET /overview}). */
    Slots slots() throws IOException, InterruptedException;

    /** Every job the cluster knows, running or ended ({@code GET /jobs/overview}). */
    List<JobSummary> jobs() throws IOException, InterruptedException;

    /**
     * A job's state and vertices ({@code GET /jobs/<id>}); empty if the cluster does not know it.
     */
    Optional<JobDetails> job(String jobId) throws IOException, InterruptedException;

    /**
     * The job's global parameters ({@code GET /jobs/<id>/config}, {@code user-config}): what the
     * Flowfn job shows of its options, credentials hidden.
     */
    Map<String, String> jobParameters(String jobId) throws IOException, InterruptedException;

    /** A value of the cluster's own configuration ({@code GET /jobmanager/config}). */
    Optional<String> clusterOption(String key) throws IOException, InterruptedException;

    /** Uploads a job jar; returns the id the cluster gave it. */
    String uploadJar(Path jar) throws IOException, InterruptedException;

    /** Whether a jar uploaded earlier is still on the cluster. */
    boolean hasJar(String jarId) throws IOException, InterruptedException;

    /**
     * Runs an uploaded jar's main class; returns the job id.
     *
     * @param savepointPath where to restore state from, or null for a fresh start
     */
    String runJar(String jarId, ProgramArgs args, String savepointPath)
            throws IOException, InterruptedException;

    /** Stops the job with a final savepoint into {@code targetDirectory}; returns its path. */
    String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException, InterruptedException;

    /** Cancels the job; its retained checkpoints stay. */
    void cancel(String jobId) throws IOException, InterruptedException;

    /** The job's newest retained checkpoint or savepoint; empty if none. */
    Optional<Snapshot> latestSnapshot(String jobId) throws IOException, InterruptedException;

    /** The job's newest failure, one line; empty if none. */
    Optional<String> lastFailure(String jobId) throws IOException, InterruptedException;

    /**
     * Polls until the job and all its tasks are RUNNING (so its sources read and checkpoints can
     * start); returns its details then.
     *
     * @throws IOException if it ends (with its failure) or is not running within {@code timeout}
     */
    default JobDetails awaitRunning(String jobId, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobDetails job = null;
        while (System.nanoTime() < deadline) {
            job =
                    job(jobId)
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    "Flink at "
                                                            + url()
                                                            + " does not know job "
                                                            + jobId
                                                            + " it just accepted; was the JobManager restarted?"));
            if (job.allTasksRunning()) {
                return job;
            }
            if (job.isTerminal()) {
                throw new IOException(
                        "the Flowfn job "
                                + jobId
                                + " ended while starting ("
                                + job.state()
                                + "): "
                                + lastFailure(jobId).orElse("no failure reported")
                                + "; see the JobManager log");
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        long running =
                job == null ? 0 : job.taskStates().stream().filter("RUNNING"::equals).count();
        throw new IOException(
                "the Flowfn job "
                        + jobId
                        + " is not running after "
                        + timeout.toSeconds()
                        + " s (job "
                        + (job == null ? "unknown" : job.state())
                        + ", "
                        + running
                        + " of "
                        + (job == null ? 0 : job.taskStates().size())
                        + " tasks running; it needs as many free task slots as"
                        + " its parallelism); last failure: "
                        + lastFailure(jobId).orElse("none"));
    }

    /** Task slots of the cluster's TaskManagers: all of them, and those no job holds. */
    record Slots(int total, int available, int taskManagers) {}

    /** A job as {@code GET /jobs/overview} lists it. */
    record JobSummary(String id, String name, String state, long startMillis) {

        /** Whether the job has ended for good (a SUSPENDED job is recovered by HA). */
        public boolean isTerminal() {
            return List.of("FINISHED", "CANCELED", "FAILED").contains(state);
        }
    }

    /** One vertex (a chain of operators) of a job: its parallelism and state. */
    record Vertex(String name, int parallelism, int maxParallelism, String status) {}

    /** A job as the cluster reports it: its state and its vertices. */
    record JobDetails(String id, String state, List<Vertex> vertices) {

        public JobDetails {
            vertices = List.copyOf(vertices);
        }

        public boolean isTerminal() {
            return List.of("FINISHED", "CANCELED", "FAILED").contains(state);
        }

        public List<String> taskStates() {
            return vertices.stream().map(Vertex::status).toList();
        }

        public boolean allTasksRunning() {
            return state.equals("RUNNING")
                    && !vertices.isEmpty()
                    && vertices.stream().allMatch(v -> v.status().equals("RUNNING"));
        }

        /**
         * The job's parallelism: its widest vertex's. In one slot sharing group (the Flowfn job's
         * case) that is also the number of task slots it holds.
         */
        public int parallelism() {
            return vertices.stream().mapToInt(Vertex::parallelism).max().orElse(0);
        }

        /** The most parallel instances its keyed state allows: its narrowest max parallelism. */
        public int maxParallelism() {
            return vertices.stream()
                    .mapToInt(Vertex::maxParallelism)
                    .filter(m -> m > 0)
                    .min()
                    .orElse(Integer.MAX_VALUE);
        }
    }

    /** A retained checkpoint or savepoint: where, and when it completed. */
    record Snapshot(String path, long epochMillis) {}
}
