package dev.flowfn.deploy.flink;

import dev.flowfn.deploy.flink.FlinkCluster.JobDetails;
import dev.flowfn.deploy.flink.FlinkCluster.Snapshot;
import dev.flowfn.job.JobOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rescales the running Flowfn job, as {@code flowfn scale} does: stops it with a savepoint, then
 * runs the same jar from that savepoint with the new parallelism. No event is lost or repeated: the
 * savepoint holds the sources' Kafka offsets and the invocations in flight, and the exactly-once
 * sink commits the transactions of everything before it as the job stops.
 *
 * <p>Everything that can be checked is checked before the job is stopped (the new parallelism
 * against the job's max parallelism and the cluster's task slots, the jar still on the cluster). If
 * the job then does not run with the new parallelism, it is started again with its old one from the
 * same state; only if that fails too is it left stopped, and {@link Failed} says from which
 * snapshot to start it. Never from an older one than the newest: if the refused job got as far as a
 * checkpoint, that checkpoint is the state to start from.
 *
 * <p>Threads: the caller's; {@code progress} is called on it.
 */
public final class Rescale {

    private static final Logger LOG = LoggerFactory.getLogger(Rescale.class);

    /**
     * A rescale done.
     *
     * @param downtime from triggering the savepoint to every task of the new job running
     */
    public record Outcome(
            String fromJob,
            String toJob,
            int fromParallelism,
            String savepoint,
            Duration savepointTook,
            Duration downtime,
            JobDetails details) {}

    /**
     * A rescale that did not happen. Either the job runs (as before, or again with its old
     * parallelism) or it is stopped, and {@link #restorePath} is the state to start it from.
     */
    public static final class Failed extends IOException {
        private final boolean jobStopped;
        private final String restorePath;

        Failed(String message, boolean jobStopped, String restorePath, Throwable cause) {
            super(message, cause);
            this.jobStopped = jobStopped;
            this.restorePath = restorePath;
        }

        /** Whether no Flowfn job runs now: it was stopped and could not be started again. */
        public boolean jobStopped() {
            return jobStopped;
        }

        /** The savepoint or checkpoint to start the stopped job from; empty if none is known. */
        public Optional<String> restorePath() {
            return Optional.ofNullable(restorePath);
        }
    }

    /**
     * Rescales {@code job} to the parallelism of {@code args}.
     *
     * @param args the arguments of the new job: the old job's, credentials given again, the new
     *     {@link ClusterJobArgs#PARALLELISM} and the {@link JobOptions#SUBMITTED_JAR_ID} to run
     * @param savepointDir where the savepoint goes
     * @param timeout for the savepoint, and for the new job's tasks to run
     * @throws Failed if it did not rescale; its message says where the job stands
     */
    public static Outcome run(
            FlinkCluster cluster,
            ClusterJob job,
            ProgramArgs args,
            String savepointDir,
            Duration timeout,
            Consumer<String> progress)
            throws IOException, InterruptedException {
        int from = job.parallelism();
        int to = Integer.parseInt(args.options().get(ClusterJobArgs.PARALLELISM));
        String jarId = args.options().get(JobOptions.SUBMITTED_JAR_ID.key());
        check(cluster, job, to, jarId);

        progress.accept(
                "Stopping job " + job.id() + " with a savepoint into " + savepointDir + "...");
        long stopStart = System.nanoTime();
        String savepoint;
        try {
            savepoint = cluster.stopWithSavepoint(job.id(), savepointDir, timeout);
        } catch (IOException e) {
            throw savepointFailed(cluster, job, from, e);
        }
        Duration savepointTook = Duration.ofNanos(System.nanoTime() - stopStart);
        progress.accept(
                "  savepoint " + savepoint + " written in " + seconds(stopStart) + "; job stopped");

        String[] started = new String[1];
        try {
            JobDetails details = start(cluster, jarId, args, savepoint, timeout, progress, started);
            return new Outcome(
                    job.id(),
                    details.id(),
                    from,
                    savepoint,
                    savepointTook,
                    Duration.ofNanos(System.nanoTime() - stopStart),
                    details);
        } catch (IOException refused) {
            String restore = newestState(cluster, started[0], savepoint);
            progress.accept(
                    "  it did not run with parallelism " + to + ": " + refused.getMessage());
            progress.accept(
                    "Starting it again with its old parallelism "
                            + from
                            + " from "
                            + restore
                            + "...");
            try {
                JobDetails back =
                        start(
                                cluster,
                                jarId,
                                args.with(ClusterJobArgs.PARALLELISM, Integer.toString(from)),
                                restore,
                                timeout,
                                progress,
                                new String[1]);
                throw new Failed(
                        "could not rescale to "
                                + to
                                + ": "
                                + refused.getMessage()
                                + ". The job runs again with parallelism "
                                + from
                                + " as job "
                                + back.id()
                                + " (from "
                                + restore
                                + ", down "
                                + seconds(stopStart)
                                + ")",
                        false,
                        restore,
                        refused);
            } catch (Failed f) {
                throw f;
            } catch (IOException again) {
                LOG.warn("the Flowfn job did not start again from {}", restore, again);
                throw new Failed(
                        "could not rescale to "
                                + to
                                + " ("
                                + refused.getMessage()
                                + "), nor start the job again with parallelism "
                                + from
                                + " ("
                                + again.getMessage()
                                + "). The Flowfn job is STOPPED; its state is in "
                                + restore,
                        true,
                        restore,
                        refused);
            }
        }
    }

    /** What can be checked before the job is stopped; a failure leaves it running untouched. */
    private static void check(FlinkCluster cluster, ClusterJob job, int to, String jarId)
            throws IOException, InterruptedException {
        String untouched = "; nothing was changed, job " + job.id() + " runs on";
        if (to > job.details().maxParallelism()) {
            throw new Failed(
                    "the job's keyed state has "
                            + job.details().maxParallelism()
                            + " key groups (its max parallelism), so it cannot run with more than"
                            + " that"
                            + untouched,
                    false,
                    null,
                    null);
        }
        if (jarId == null || !cluster.hasJar(jarId)) {
            throw new Failed(
                    "the jar the job was submitted with ("
                            + jarId
                            + ") is no longer on "
                            + cluster.url()
                            + " (uploaded jars go when the JobManager restarts): give --jar FILE to"
                            + " upload the job jar again"
                            + untouched,
                    false,
                    null,
                    null);
        }
        try {
            ClusterSubmit.checkSlots(cluster, to, job.parallelism());
        } catch (IOException e) {
            throw new Failed(e.getMessage() + untouched, false, null, e);
        }
    }

    private static Failed savepointFailed(
            FlinkCluster cluster, ClusterJob job, int from, IOException e)
            throws IOException, InterruptedException {
        Optional<JobDetails> now = cluster.job(job.id());
        if (now.isPresent() && !now.get().isTerminal()) {
            return new Failed(
                    e.getMessage()
                            + "; job "
                            + job.id()
                            + " is "
                            + now.get().state()
                            + " with parallelism "
                            + from
                            + ": it was not stopped (if it still stops, GET "
                            + cluster.url()
                            + "jobs/"
                            + job.id()
                            + "/checkpoints shows the savepoint)",
                    false,
                    null,
                    e);
        }
        String restore = cluster.latestSnapshot(job.id()).map(Snapshot::path).orElse(null);
        return new Failed(
                e.getMessage()
                        + "; job "
                        + job.id()
                        + " ended ("
                        + now.map(JobDetails::state).orElse("unknown")
                        + ") and the Flowfn job is STOPPED"
                        + (restore == null
                                ? "; the cluster reports no retained checkpoint of it"
                                : "; its newest state is in " + restore),
                true,
                restore,
                e);
    }

    /** Runs the jar from {@code restorePath}; on a failure, cancels the job it started. */
    private static JobDetails start(
            FlinkCluster cluster,
            String jarId,
            ProgramArgs args,
            String restorePath,
            Duration timeout,
            Consumer<String> progress,
            String[] startedJob)
            throws IOException, InterruptedException {
        progress.accept(
                "Submitting the same jar from the savepoint with parallelism "
                        + args.options().get(ClusterJobArgs.PARALLELISM)
                        + "...");
        LOG.info(
                "submitting the Flowfn job to {} from {} with {}",
                cluster.url(),
                restorePath,
                args);
        long t = System.nanoTime();
        startedJob[0] = cluster.runJar(jarId, args, restorePath);
        progress.accept("  accepted as job " + startedJob[0] + "; waiting for its tasks to run...");
        try {
            JobDetails details = cluster.awaitRunning(startedJob[0], timeout);
            progress.accept("  running in " + seconds(t));
            return details;
        } catch (IOException e) {
            ClusterSubmit.cancelQuietly(cluster, startedJob[0]);
            throw e;
        }
    }

    /**
     * The state to start from after a refused job: the savepoint, unless the refused job completed
     * a checkpoint of its own after it (then its outputs up to there are committed, and starting
     * from the savepoint would produce them again).
     */
    private static String newestState(FlinkCluster cluster, String refusedJob, String savepoint)
            throws InterruptedException {
        if (refusedJob == null) {
            return savepoint;
        }
        try {
            return cluster.latestSnapshot(refusedJob)
                    .map(Snapshot::path)
                    .filter(p -> !p.equals(savepoint))
                    .orElse(savepoint);
        } catch (IOException e) {
            LOG.warn("could not read the checkpoints of job {}: {}", refusedJob, e.getMessage());
            return savepoint;
        }
    }

    static String seconds(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private Rescale() {}
}
