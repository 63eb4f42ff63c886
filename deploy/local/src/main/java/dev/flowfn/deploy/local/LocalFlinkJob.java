package dev.flowfn.deploy.local;

import dev.flowfn.deploy.flink.RemoteFlinkJob;
import dev.flowfn.job.JobOptions;
import dev.flowfn.job.local.EmbeddedFlink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flowfn job: on a Flink MiniCluster in this JVM, restored from the newest checkpoint or
 * savepoint in the data folder, or on the external Flink cluster given with {@code --flink}.
 * Closing stops the job with a savepoint (so the next start continues where this one stopped), then
 * the MiniCluster.
 */
final class LocalFlinkJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkJob.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final LocalSettings settings;
    private final PrintWriter out;
    private final EmbeddedFlink flink; // null on an external cluster
    private final JobID job; // null on an external cluster
    private final RemoteFlinkJob remote; // null on the MiniCluster
    private final String describe;

    private LocalFlinkJob(
            LocalSettings settings,
            PrintWriter out,
            EmbeddedFlink flink,
            JobID job,
            RemoteFlinkJob remote,
            String describe) {
        this.settings = settings;
        this.out = out;
        this.flink = flink;
        this.job = job;
        this.remote = remote;
        this.describe = describe;
    }

    /** The report label of this step. */
    static String label(LocalSettings settings) {
        return settings.flinkUrl() != null
                ? "Flink job (external Flink at " + settings.flinkUrl() + ")"
                : "Flink job (MiniCluster)";
    }

    static LocalFlinkJob start(
            LocalSettings settings,
            LocalJobConfiguration configuration,
            int restPort,
            PrintWriter out)
            throws Exception {
        if (settings.flinkUrl() != null) {
            RemoteFlinkJob remote =
                    RemoteFlinkJob.start(
                            configuration.remoteSettings(),
                            configuration.remoteProgramArgs(),
                            configuration.dataFolderSnapshot());
            return new LocalFlinkJob(
                    settings,
                    out,
                    null,
                    null,
                    remote,
                    "running job " + remote.jobId() + ", " + remote.startedFrom());
        }
        DataDir dir = settings.dataDir();
        EmbeddedFlink flink =
                EmbeddedFlink.start(
                        configuration.miniCluster(restPort), settings.parallelism() * 2);
        try {
            Optional<Path> restore = RestorePoint.latest(dir.savepoints(), dir.checkpoints());
            JobLayout.checkAndMark(dir, restore);
            JobID job = flink.submitFlowfn(restore.map(p -> p.toUri().toString()).orElse(null));
            flink.awaitRunning(job, Duration.ofSeconds(120));
            String from =
                    restore.map(p -> ", restored from " + dir.root().relativize(p))
                                    .orElse(", fresh state")
                            + keptNaming(configuration);
            return new LocalFlinkJob(settings, out, flink, job, null, "running" + from);
        } catch (Exception e) {
            flink.close();
            throw e;
        }
    }

    /**
     * A note when the sinks keep POOLING for snapshots from before the data folder's naming mark.
     */
    private static String keptNaming(LocalJobConfiguration configuration) {
        return configuration.sinkNaming().keptFromEarlierSnapshots()
                ? "; its sinks keep "
                        + JobOptions.SINK_TRANSACTION_NAMING.key()
                        + "=POOLING, as its snapshots were written (README: 'Upgrading')"
                : "";
    }

    /** What the start-up report says. */
    String describe() {
        return describe;
    }

    /** Flink's web UI (and the job, on an external cluster). */
    String webUi() throws Exception {
        return remote != null
                ? remote.webUi() + "   (external cluster; job " + remote.jobId() + ")"
                : flink.restAddress();
    }

    /** The MiniCluster, or null on an external cluster (tests inject failures through it). */
    EmbeddedFlink flink() {
        return flink;
    }

    JobID job() {
        return job;
    }

    /** The job on the external Flink cluster, or null on the MiniCluster. */
    RemoteFlinkJob remote() {
        return remote;
    }

    @Override
    public void close() throws Exception {
        if (remote != null) {
            try {
                out.println("  job stopped with savepoint " + remote.stop(STOP_TIMEOUT));
            } catch (Exception e) {
                LOG.warn(
                        "stop with savepoint failed on {}; the job was cancelled",
                        settings.flinkUrl(),
                        e);
                out.println(
                        "  job cancelled without a savepoint ("
                                + e.getMessage()
                                + "); the next start restores from its last checkpoint");
            }
            return;
        }
        try {
            String savepoint =
                    flink.stopWithSavepoint(
                            job, settings.dataDir().savepoints().toUri().toString(), STOP_TIMEOUT);
            out.println("  job stopped with savepoint " + savepoint);
        } catch (Exception e) {
            LOG.warn(
                    "stop with savepoint failed; the next start restores from the last checkpoint",
                    e);
            out.println(
                    "  job stopped without a savepoint ("
                            + e.getClass().getSimpleName()
                            + "); the next start restores from the last checkpoint");
        }
        flink.close();
    }
}
