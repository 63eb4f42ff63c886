package dev.flowfn.deploy.flink;

import dev.flowfn.deploy.flink.FlinkCluster.JobDetails;
import dev.flowfn.deploy.flink.FlinkCluster.Snapshot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flowfn job on an external Flink 2.2 cluster, driven over its REST API: what {@code flowfn
 * local --flink URL} runs instead of the in-process MiniCluster.
 *
 * <p>{@link #start} submits the shaded job jar ({@code job/target/job-*-all.jar}) restored from the
 * newest snapshot it knows of: the last checkpoint or savepoint the cluster reports for the
 * previous run's job, the savepoint the last {@link #stop} recorded, or one in the data folder. If
 * the previous run's job is still running (the launcher was killed), it is taken over as it is
 * instead of submitting a second one. {@link #stop} stops the job with a savepoint into the
 * savepoint directory, which every JobManager and TaskManager must be able to write: a {@code
 * file:} path of the data folder only works when the cluster runs on this machine.
 *
 * <p>What it remembers between runs is in a {@link RemoteJobRecord} file of the data folder.
 *
 * <p>Threads: {@link #start} and {@link #stop} are called by the launcher thread (main, or the
 * shutdown hook), one after the other; they block while the cluster works.
 */
public final class RemoteFlinkJob {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteFlinkJob.class);

    /**
     * Where the job runs and keeps its snapshots.
     *
     * @param savepointDir a URI the cluster can write (e.g. {@code
     *     file:///shared/flowfn/savepoints})
     * @param recordFile the {@link RemoteJobRecord} file in the data folder
     */
    public record Settings(
            URI flinkUrl,
            Path jobJar,
            String savepointDir,
            Path recordFile,
            Duration startTimeout) {}

    private final FlinkRestClient client;
    private final Settings settings;
    private final String jobId;
    private final String startedFrom;
    private RemoteJobRecord record;

    private RemoteFlinkJob(
            FlinkRestClient client,
            Settings settings,
            String jobId,
            String startedFrom,
            RemoteJobRecord record) {
        this.client = client;
        this.settings = settings;
        this.jobId = jobId;
        this.startedFrom = startedFrom;
        this.record = record;
    }

    /**
     * The shaded job jar of the Flowfn checkout at {@code home}: the newest {@code
     * job/target/job-*-all.jar}.
     *
     * @throws IllegalStateException naming the build command when there is none
     */
    public static Path findJobJar(Path home) throws IOException {
        Path target = home.resolve("job").resolve("target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                Optional<Path> jar =
                        files.filter(p -> p.getFileName().toString().matches("job-.*-all\\.jar"))
                                .max(Comparator.comparing(p -> p.toFile().lastModified()));
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new IllegalStateException(
                "the Flowfn job jar is not built: no job-*-all.jar in "
                        + target
                        + ". Run ./flowfn once to build it, or in "
                        + home
                        + ": mvn -q -pl job -am package -DskipTests");
    }

    /**
     * Runs the job on the cluster (or takes over the previous run's job if it still runs) and waits
     * until all its tasks are running.
     *
     * @param dataFolderSnapshot the newest snapshot in the data folder, if any (a run on the
     *     MiniCluster, or this cluster's when it runs on this machine)
     */
    public static RemoteFlinkJob start(
            Settings settings, ProgramArgs args, Optional<Snapshot> dataFolderSnapshot)
            throws IOException, InterruptedException {
        FlinkRestClient client = new FlinkRestClient(settings.flinkUrl());
        String url = client.url().toString();
        client.overview();
        RemoteJobRecord record = RemoteJobRecord.load(settings.recordFile());
        Optional<Snapshot> previous = Optional.empty();
        if (record.isOn(url) && record.jobId() != null) {
            Optional<JobDetails> job = client.job(record.jobId());
            if (job.isPresent() && !job.get().isTerminal()) {
                LOG.info(
                        "job {} of the previous run is {} on {}: taking it over",
                        record.jobId(),
                        job.get().state(),
                        url);
                client.awaitRunning(record.jobId(), settings.startTimeout());
                return new RemoteFlinkJob(
                        client,
                        settings,
                        record.jobId(),
                        "took over job " + record.jobId() + " (still running from the last start)",
                        record);
            }
            previous = client.latestSnapshot(record.jobId());
        }
        RemoteJobRecord last = record;
        Optional<Snapshot> restore =
                Stream.of(
                                previous,
                                Optional.ofNullable(last.savepoint())
                                        .map(p -> new Snapshot(p, last.savepointMillis())),
                                dataFolderSnapshot)
                        .flatMap(Optional::stream)
                        .max(Comparator.comparingLong(Snapshot::epochMillis));

        String jarStamp =
                Files.size(settings.jobJar())
                        + "-"
                        + Files.getLastModifiedTime(settings.jobJar()).toMillis();
        String jarId = reusableJar(client, record, url, jarStamp);
        if (jarId == null) {
            long t = System.nanoTime();
            jarId = client.uploadJar(settings.jobJar());
            LOG.info(
                    "uploaded {} to {} as {} in {} ms",
                    settings.jobJar(),
                    url,
                    jarId,
                    (System.nanoTime() - t) / 1_000_000);
        }
        String restorePath = restore.map(Snapshot::path).orElse(null);
        LOG.info(
                "submitting the Flowfn job to {} from {} with {}",
                url,
                restorePath == null ? "fresh state" : restorePath,
                args);
        String jobId = client.runJar(jarId, args, restorePath);
        record = record.withJob(url, jobId, jarId, jarStamp);
        record.save(settings.recordFile());
        try {
            client.awaitRunning(jobId, settings.startTimeout());
        } catch (IOException | RuntimeException e) {
            cancelQuietly(client, jobId);
            throw e;
        }
        return new RemoteFlinkJob(
                client,
                settings,
                jobId,
                restorePath == null ? "fresh state" : "restored from " + restorePath,
                record);
    }

    public String jobId() {
        return jobId;
    }

    /**
     * How this start found its state: "fresh state", "restored from PATH", or "took over job ID
     * ...".
     */
    public String startedFrom() {
        return startedFrom;
    }

    public URI webUi() {
        return client.url();
    }

    /** The job's current details on the cluster; empty if the cluster no longer knows it. */
    public Optional<JobDetails> details() throws IOException, InterruptedException {
        return client.job(jobId);
    }

    /**
     * Stops the job with a savepoint into the savepoint directory and records it for the next
     * start; returns its path. If that fails the job is cancelled (its retained checkpoints stay,
     * and the next start restores from the newest) and the failure is thrown.
     */
    public String stop(Duration timeout) throws IOException, InterruptedException {
        String savepoint;
        try {
            savepoint = client.stopWithSavepoint(jobId, settings.savepointDir(), timeout);
        } catch (IOException e) {
            cancelQuietly(client, jobId);
            throw e;
        }
        record = record.withSavepoint(savepoint, System.currentTimeMillis());
        record.save(settings.recordFile());
        return savepoint;
    }

    private static String reusableJar(
            FlinkRestClient client, RemoteJobRecord record, String url, String jarStamp)
            throws IOException, InterruptedException {
        if (!record.isOn(url) || record.jarId() == null) {
            return null;
        }
        if (jarStamp.equals(record.jarStamp()) && client.hasJar(record.jarId())) {
            return record.jarId();
        }
        try {
            client.deleteJar(record.jarId());
        } catch (IOException gone) {
            LOG.debug("old job jar {} not deleted: {}", record.jarId(), gone.getMessage());
        }
        return null;
    }

    private static void cancelQuietly(FlinkRestClient client, String jobId)
            throws InterruptedException {
        try {
            client.cancel(jobId);
        } catch (IOException e) {
            LOG.warn("could not cancel job {}: {}", jobId, e.getMessage());
        }
    }
}
