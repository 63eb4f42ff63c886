package dev.flowfn.deploy.flink;

import dev.flowfn.deploy.flink.FlinkCluster.JobDetails;
import dev.flowfn.deploy.flink.FlinkCluster.JobSummary;
import dev.flowfn.job.FlowfnJob;
import dev.flowfn.job.JobOptions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Flowfn job running on a cluster, found by its name ({@value FlowfnJob#NAME}, the name {@code
 * FlowfnJob} gives itself), with the options it shows there ({@link dev.flowfn.job.JobParameters}:
 * its program arguments, credentials hidden). This is how {@code flowfn scale} finds the job and
 * its arguments without a record file on the user's machine: the cluster is the record.
 *
 * @param parameters the job's global parameters, as the cluster shows them
 */
public record ClusterJob(JobSummary summary, JobDetails details, Map<String, String> parameters) {

    public ClusterJob {
        parameters = Map.copyOf(parameters);
    }

    /** The Flowfn jobs the cluster runs (or is starting, restarting...): any not ended. */
    public static List<JobSummary> running(FlinkCluster cluster)
            throws IOException, InterruptedException {
        return cluster.jobs().stream()
                .filter(j -> j.name().equals(FlowfnJob.NAME) && !j.isTerminal())
                .toList();
    }

    /**
     * The one Flowfn job the cluster runs; empty if none.
     *
     * @throws IOException if it runs several (each would read the same topics in the same consumer
     *     group), or it ended while being read
     */
    public static Optional<ClusterJob> find(FlinkCluster cluster)
            throws IOException, InterruptedException {
        List<JobSummary> running = running(cluster);
        if (running.isEmpty()) {
            return Optional.empty();
        }
        if (running.size() > 1) {
            throw new IOException(
                    running.size()
                            + " Flowfn jobs run on "
                            + cluster.url()
                            + " ("
                            + String.join(", ", running.stream().map(JobSummary::id).toList())
                            + "); stop all but one (they share a consumer group and the sink's"
                            + " transactional ids)");
        }
        JobSummary job = running.get(0);
        JobDetails details =
                cluster.job(job.id())
                        .orElseThrow(
                                () ->
                                        new IOException(
                                                "the Flowfn job "
                                                        + job.id()
                                                        + " is gone from "
                                                        + cluster.url()
                                                        + " while being read; try again"));
        return Optional.of(new ClusterJob(job, details, cluster.jobParameters(job.id())));
    }

    public String id() {
        return summary.id();
    }

    public int parallelism() {
        return details.parallelism();
    }

    /** The uploaded jar it runs from, if {@code flowfn submit} started it. */
    public Optional<String> jarId() {
        return Optional.ofNullable(parameters.get(JobOptions.SUBMITTED_JAR_ID.key()));
    }

    /** Where its savepoints go, if it was given a directory. */
    public Optional<String> savepointDir() {
        return Optional.ofNullable(parameters.get(ClusterJobArgs.SAVEPOINT_DIR));
    }
}
