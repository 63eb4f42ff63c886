package dev.flowfn.deploy.flink;

import dev.flowfn.deploy.flink.FlinkCluster.JobDetails;
import dev.flowfn.deploy.flink.FlinkCluster.JobSummary;
import dev.flowfn.deploy.flink.FlinkCluster.Slots;
import dev.flowfn.job.JobOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Flowfn job on a cluster, as {@code flowfn submit} does: refuses if a Flowfn job already
 * runs there, checks the cluster has the task slots, uploads the job jar (or takes one uploaded
 * before), runs it with its arguments and the jar's id among them (so {@code flowfn scale} can run
 * the same jar again), and waits until every task runs. A job that does not get there is cancelled.
 *
 * <p>Threads: the caller's; {@code progress} is called on it.
 */
public final class ClusterSubmit {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSubmit.class);

    /** The job jar: a file to upload, or the id of a jar already on the cluster. */
    public record JobJar(Path file, String uploadedId) {

        public static JobJar file(Path file) {
            return new JobJar(file, null);
        }

        public static JobJar uploaded(String id) {
            return new JobJar(null, id);
        }
    }

    /** The job running: its id, the jar it runs from, its vertices. */
    public record Submitted(String jobId, String jarId, JobDetails details) {}

    /** A Flowfn job already runs on the cluster: submitting a second one is refused. */
    public static final class AlreadyRunning extends IOException {
        private final transient JobSummary job;

        AlreadyRunning(JobSummary job, String url) {
            super(
                    "a Flowfn job already runs on "
                            + url
                            + ": job "
                            + job.id()
                            + " ("
                            + job.state()
                            + ")");
            this.job = job;
        }

        public JobSummary job() {
            return job;
        }
    }

    /**
     * Submits the job and waits until its tasks run.
     *
     * @param args the job's arguments, {@link ClusterJobArgs#PARALLELISM} among them
     * @param restorePath a savepoint or retained checkpoint to start from, or null for fresh state
     * @throws AlreadyRunning if a Flowfn job runs on the cluster
     * @throws IOException if the cluster lacks slots, refuses the jar or the job, or the job does
     *     not run within {@code timeout}
     */
    public static Submitted submit(
            FlinkCluster cluster,
            JobJar jar,
            ProgramArgs args,
            String restorePath,
            Duration timeout,
            Consumer<String> progress)
            throws IOException, InterruptedException {
        Optional<JobSummary> running = ClusterJob.running(cluster).stream().findFirst();
        if (running.isPresent()) {
            throw new AlreadyRunning(running.get(), cluster.url().toString());
        }
        int parallelism = Integer.parseInt(args.options().get(ClusterJobArgs.PARALLELISM));
        checkSlots(cluster, parallelism, 0);

        String jarId;
        if (jar.uploadedId() != null) {
            if (!cluster.hasJar(jar.uploadedId())) {
                throw new IOException(
                        "no jar "
                                + jar.uploadedId()
                                + " on "
                                + cluster.url()
                                + " (GET /jars lists them; uploaded jars go when the JobManager"
                                + " restarts): give the job jar file instead");
            }
            jarId = jar.uploadedId();
            progress.accept("Using jar " + jarId + " already on the cluster");
        } else {
            long t = System.nanoTime();
            progress.accept(
                    String.format(
                            "Uploading %s (%.1f MB)...",
                            jar.file(), Files.size(jar.file()) / (1024.0 * 1024)));
            jarId = cluster.uploadJar(jar.file());
            progress.accept("  uploaded as " + jarId + " in " + Rescale.seconds(t));
        }

        ProgramArgs withJar = args.with(JobOptions.SUBMITTED_JAR_ID.key(), jarId);
        progress.accept(
                "Submitting the Flowfn job with parallelism "
                        + parallelism
                        + (restorePath == null ? ", fresh state" : ", from " + restorePath)
                        + "...");
        LOG.info("submitting the Flowfn job to {} with {}", cluster.url(), withJar);
        long t = System.nanoTime();
        String jobId = cluster.runJar(jarId, withJar, restorePath);
        progress.accept("  accepted as job " + jobId + "; waiting for its tasks to run...");
        JobDetails details;
        try {
            details = cluster.awaitRunning(jobId, timeout);
        } catch (IOException e) {
            cancelQuietly(cluster, jobId);
            throw e;
        }
        progress.accept("  running in " + Rescale.seconds(t));
        return new Submitted(jobId, jarId, details);
    }

    /**
     * Checks the cluster has {@code parallelism} free task slots, counting {@code held} slots a job
     * about to stop will free. A cluster that starts TaskManagers on demand (Kubernetes or YARN
     * session) is not checked.
     */
    static void checkSlots(FlinkCluster cluster, int parallelism, int held)
            throws IOException, InterruptedException {
        String target = cluster.clusterOption("deployment.target").orElse("");
        if (target.contains("kubernetes") || target.contains("yarn")) {
            return;
        }
        Slots slots = cluster.slots();
        if (slots.available() + held < parallelism) {
            throw new IOException(
                    "the cluster at "
                            + cluster.url()
                            + " has "
                            + (slots.available() + held)
                            + " free task slots"
                            + (held > 0 ? " (with the " + held + " the job holds now)" : "")
                            + " of "
                            + slots.total()
                            + " on "
                            + slots.taskManagers()
                            + " TaskManager(s); parallelism "
                            + parallelism
                            + " needs "
                            + parallelism
                            + ": start more TaskManagers (or raise taskmanager.numberOfTaskSlots)");
        }
    }

    static void cancelQuietly(FlinkCluster cluster, String jobId) throws InterruptedException {
        try {
            cluster.cancel(jobId);
        } catch (IOException e) {
            LOG.warn("could not cancel job {}: {}", jobId, e.getMessage());
        }
    }

    private ClusterSubmit() {}
}
