package dev.flowfn.deploy.local;

import dev.flowfn.deploy.flink.ClusterJobArgs;
import dev.flowfn.deploy.flink.FlinkCluster.Snapshot;
import dev.flowfn.deploy.flink.ProgramArgs;
import dev.flowfn.deploy.flink.RemoteFlinkJob;
import dev.flowfn.deploy.local.engines.EngineClasspath;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.job.JobOptions;
import dev.flowfn.kafka.KafkaClientConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * The Flowfn job's configuration in {@code flowfn local}: as the Flink configuration of the
 * in-process MiniCluster, or as program arguments for the job jar on an external cluster (same
 * options, without what only makes sense in this process). Checkpoints and savepoints go to the
 * data folder unless an external cluster has a savepoint directory of its own.
 *
 * <p>Built and used by the launcher thread.
 */
final class LocalJobConfiguration {

    private final LocalSettings settings;
    private final KafkaClientConfig kafka;
    private final String s3Endpoint;
    private final S3Credentials s3Credentials;

    /** Made on first use: it marks the data folder. */
    private SinkTransactionNaming.Choice sinkNaming;

    LocalJobConfiguration(
            LocalSettings settings,
            KafkaClientConfig kafka,
            String s3Endpoint,
            S3Credentials s3Credentials) {
        this.settings = settings;
        this.kafka = kafka;
        this.s3Endpoint = s3Endpoint;
        this.s3Credentials = s3Credentials;
    }

    RemoteFlinkJob.Settings remoteSettings() throws IOException {
        DataDir dir = settings.dataDir();
        String savepoints =
                settings.flinkSavepointDir() != null
                        ? settings.flinkSavepointDir()
                        : dir.savepoints().toUri().toString();
        return new RemoteFlinkJob.Settings(
                URI.create(settings.flinkUrl()),
                RemoteFlinkJob.findJobJar(EngineClasspath.locate().home()),
                savepoints,
                dir.root().resolve("flink").resolve("remote-job.properties"),
                Duration.ofSeconds(120));
    }

    /**
     * The job's options as program arguments for the external cluster: those of the MiniCluster
     * run, without the MiniCluster's own (REST endpoint) and without paths of this machine when the
     * cluster is elsewhere (--flink-savepoint-dir given): then the cluster's own checkpoint
     * directory and the TaskManagers' temp folder for the code cache apply.
     */
    ProgramArgs remoteProgramArgs() {
        Map<String, String> options = new TreeMap<>(miniCluster(0).toMap());
        // the MiniCluster's own: its REST endpoint, and the in-process metrics reporter (a cluster
        // brings its own reporters; the job's per-function metrics reach them the same way)
        options.keySet()
                .removeIf(
                        key ->
                                key.startsWith("rest.")
                                        || key.startsWith("metrics.reporter.flowfn."));
        if (settings.flinkSavepointDir() != null) {
            options.remove(JobOptions.CODE_CACHE_DIR.key());
            options.remove("execution.checkpointing.dir");
            options.put(ClusterJobArgs.SAVEPOINT_DIR, settings.flinkSavepointDir());
        }
        options.putAll(settings.jobConf()); // --conf wins, as on the MiniCluster
        return ProgramArgs.of(options);
    }

    /**
     * The newest snapshot in the data folder, when the cluster can read it (it runs on this
     * machine).
     */
    Optional<Snapshot> dataFolderSnapshot() throws IOException {
        if (settings.flinkSavepointDir() != null) {
            return Optional.empty();
        }
        DataDir dir = settings.dataDir();
        Optional<Path> latest = RestorePoint.latest(dir.savepoints(), dir.checkpoints());
        JobLayout.checkAndMark(dir, latest);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        long completed = Files.getLastModifiedTime(latest.get().resolve("_metadata")).toMillis();
        return Optional.of(new Snapshot(latest.get().toUri().toString(), completed));
    }

    /**
     * The configuration of the MiniCluster and the job on it, its REST endpoint on {@code
     * restPort}.
     */
    Configuration miniCluster(int restPort) {
        DataDir dir = settings.dataDir();
        Configuration conf = new Configuration();
        JobOptions.setKafkaClientConfig(conf, kafka);
        conf.set(JobOptions.S3_ENDPOINT, s3Endpoint);
        conf.set(JobOptions.S3_ACCESS_KEY, s3Credentials.accessKey());
        conf.set(JobOptions.S3_SECRET_KEY, s3Credentials.secretKey());
        conf.set(JobOptions.CODE_CACHE_DIR, dir.codeCache().toString());
        // the options the job wants on any cluster (flowfn submit sets the same)
        ClusterJobArgs.flinkDefaults(settings.checkpointInterval()).forEach(conf::setString);
        conf.setString("execution.checkpointing.dir", dir.checkpoints().toUri().toString());
        conf.setString(ClusterJobArgs.SAVEPOINT_DIR, dir.savepoints().toUri().toString());
        conf.setString(ClusterJobArgs.PARALLELISM, Integer.toString(settings.parallelism()));
        conf.setString("rest.address", "127.0.0.1");
        conf.setString("rest.port", Integer.toString(restPort));
        // per-function metrics, served by the control server's /metrics (on 127.0.0.1, unlike
        // Flink's reporter)
        conf.setString(
                "metrics.reporter.flowfn.factory.class",
                dev.flowfn.deploy.control.metrics.FunctionMetricsReporterFactory.class.getName());
        if (settings.flinkSavepointDir() == null) {
            conf.set(JobOptions.SINK_TRANSACTION_NAMING, sinkNaming().naming());
        }
        settings.jobConf()
                .forEach(conf::setString); // --conf KEY=VALUE: job options and Flink's own
        return conf;
    }

    /**
     * How the sinks name their transactions on the data folder's snapshots ({@link
     * SinkTransactionNaming}).
     */
    SinkTransactionNaming.Choice sinkNaming() {
        if (sinkNaming == null) {
            DataDir dir = settings.dataDir();
            try {
                sinkNaming =
                        SinkTransactionNaming.chooseAndMark(
                                dir,
                                RestorePoint.latest(dir.savepoints(), dir.checkpoints()),
                                settings.jobConf());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sinkNaming;
    }
}
