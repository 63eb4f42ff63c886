package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.flink.ClusterJob;
import dev.flowfn.deploy.flink.ClusterJobArgs;
import dev.flowfn.deploy.flink.ClusterSubmit;
import dev.flowfn.deploy.flink.ClusterSubmit.JobJar;
import dev.flowfn.deploy.flink.FlinkCluster;
import dev.flowfn.deploy.flink.FlinkCluster.JobSummary;
import dev.flowfn.deploy.flink.FlinkRestClient;
import dev.flowfn.deploy.flink.RemoteFlinkJob;
import dev.flowfn.deploy.local.TopicSetup;
import dev.flowfn.deploy.local.engines.EngineClasspath;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.kafka.SchemaTopic;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.InvalidSpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flowfn submit}: the Flowfn job on a Flink cluster, started over its REST API and left
 * running there. Nothing starts on this machine. The job's options travel as program arguments; it
 * shows them on the cluster with every credential hidden, which is where {@code flowfn scale} reads
 * them back.
 *
 * <p>Threads: the main thread, blocking while the cluster works.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Submit the Flowfn job to a Flink 2.2 cluster and leave it running there: upload the job"
                    + " jar, run it with the Kafka, S3 and checkpoint options given, wait until its tasks"
                    + " run, print its job id and web UI. Nothing starts on this machine; the Kafka topics"
                    + " and schemas Flowfn needs are created if missing.",
            "If a Flowfn job already runs on the cluster, nothing is submitted: change its parallelism"
                    + " with 'flowfn scale', or stop it first.",
            "Environment: FLOWFN_S3_ACCESS_KEY and FLOWFN_S3_SECRET_KEY (required). Secrets (the S3"
                    + " keys, every property of --kafka-config) reach the job, never this machine's disk,"
                    + " the output or the cluster's web UI.",
            "Example: flowfn submit --flink http://jobmanager:8081 --parallelism 4 --kafka-config"
                    + " kafka.properties --s3-endpoint http://minio:9000 --flink-savepoint-dir"
                    + " s3://flowfn/savepoints"
        })
final class SubmitCommand extends CliCommand implements Callable<Integer> {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    @Mixin FlinkOptions flink;

    @Option(
            names = "--parallelism",
            paramLabel = "P",
            defaultValue = "2",
            description =
                    "Parallel instances of the job (it holds as many task slots); default"
                            + " ${DEFAULT-VALUE}")
    int parallelism;

    @Mixin KafkaOptions kafka;

    @Mixin S3Options s3;

    @Mixin JobConfOptions job;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description =
                    "Start from this savepoint or retained checkpoint (what 'flowfn scale' prints if it"
                            + " cannot start the job again) instead of fresh state")
    String fromSavepoint;

    @Option(
            names = "--jar",
            paramLabel = "FILE",
            description =
                    "The job jar to upload (default: job/target/job-*-all.jar of this Flowfn checkout)")
    Path jar;

    @Option(
            names = "--jar-id",
            paramLabel = "ID",
            description =
                    "Run a jar already uploaded to the cluster (GET /jars) instead of uploading one")
    String jarId;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "3m",
            description =
                    "How long the job may take to run all its tasks; default ${DEFAULT-VALUE}")
    String timeout;

    /** The environment the S3 keys come from; tests set their own. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        URI url = flink.required();
        KafkaClientConfig kafkaConfig = kafka.required();
        String s3Endpoint = s3.required();
        S3Credentials s3Keys = S3Options.credentials(env);
        Duration checkpointInterval = job.checkpointIntervalOrDefault();
        int p = checkedParallelism(parallelism);
        Duration wait = duration("--timeout", timeout);
        JobJar jobJar = jobJar();

        FlinkCluster cluster = new FlinkRestClient(url);
        PrintWriter err = err();
        String savepointDir = savepointDir(cluster);
        ClusterJobArgs.Submit settings =
                new ClusterJobArgs.Submit(
                        kafkaConfig,
                        s3Endpoint,
                        s3Keys,
                        savepointDir,
                        checkpointInterval,
                        p,
                        job.conf());
        try {
            // before anything is changed or uploaded; ClusterSubmit checks again just before it
            // runs
            Optional<JobSummary> running = ClusterJob.running(cluster).stream().findFirst();
            if (running.isPresent()) {
                throw new CliException(alreadyRunning(cluster, running.get(), savepointDir));
            }
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
        ensureTopics(kafkaConfig, err);
        ClusterSubmit.Submitted submitted;
        try {
            submitted =
                    ClusterSubmit.submit(
                            cluster,
                            jobJar,
                            ClusterJobArgs.forSubmit(settings),
                            fromSavepoint,
                            wait,
                            line -> err.println(line));
        } catch (ClusterSubmit.AlreadyRunning e) {
            throw new CliException(alreadyRunning(cluster, e.job(), savepointDir));
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = out();
        out.println(
                "Flowfn job    "
                        + submitted.jobId()
                        + "   running, parallelism "
                        + submitted.details().parallelism());
        out.println("Flink web UI  " + webUi(url, submitted.jobId()));
        out.println("Savepoints    " + savepointDir);
        return 0;
    }

    /** The job's overview page in Flink's web UI. */
    static String webUi(URI url, String jobId) {
        String base = url.toString().endsWith("/") ? url.toString() : url + "/";
        return base + "#/job/running/" + jobId + "/overview";
    }

    static int checkedParallelism(int parallelism) {
        if (parallelism < 1 || parallelism > 32768) {
            throw new UsageException("--parallelism must be 1 to 32768 (got " + parallelism + ")");
        }
        return parallelism;
    }

    static Duration duration(String option, String text) {
        try {
            Duration d = FunctionSpecRules.parseDuration(text);
            if (d.isZero() || d.isNegative()) {
                throw new UsageException(option + " must be positive (got '" + text + "')");
            }
            return d;
        } catch (InvalidSpecException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private JobJar jobJar() throws IOException {
        if (jar != null && jarId != null) {
            throw new UsageException("give --jar FILE or --jar-id ID, not both");
        }
        if (jarId != null) {
            return JobJar.uploaded(jarId);
        }
        if (jar != null) {
            if (!Files.isRegularFile(jar)) {
                throw new UsageException("--jar " + jar + " is not a file");
            }
            return JobJar.file(jar);
        }
        try {
            return JobJar.file(RemoteFlinkJob.findJobJar(EngineClasspath.locate().home()));
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage() + ", or give --jar FILE");
        }
    }

    /**
     * --flink-savepoint-dir, else the cluster's own; the job needs one to be stopped and scaled.
     */
    private String savepointDir(FlinkCluster cluster) throws IOException, InterruptedException {
        if (flink.savepointDir().isPresent()) {
            return flink.savepointDir().get();
        }
        try {
            return cluster.clusterOption(ClusterJobArgs.SAVEPOINT_DIR)
                    .orElseThrow(
                            () ->
                                    new UsageException(
                                            "give --flink-savepoint-dir URI, a directory every"
                                                    + " JobManager and TaskManager of "
                                                    + cluster.url()
                                                    + " can write (the cluster sets no "
                                                    + ClusterJobArgs.SAVEPOINT_DIR
                                                    + "): 'flowfn scale' stops the job with a savepoint"
                                                    + " there"));
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
    }

    /**
     * Creates Flowfn's topics and publishes its schemas if they are missing. Best effort: Kafka may
     * be reachable from the cluster only, and the job then needs an operator to have made them.
     */
    private static void ensureTopics(KafkaClientConfig kafka, PrintWriter err) {
        KafkaClientConfig quick =
                kafka.withProperty("default.api.timeout.ms", "15000")
                        .withProperty("request.timeout.ms", "10000");
        try {
            List<String> created = TopicSetup.ensure(quick);
            new SchemaTopic(quick).publishAll();
            err.println(
                    created.isEmpty()
                            ? "Kafka topics of Flowfn: all there"
                            : "Kafka topics of Flowfn: created " + String.join(", ", created));
        } catch (Exception e) {
            LoggerFactory.getLogger(SubmitCommand.class).warn("topic setup failed", e);
            err.println(
                    "warning: could not check Flowfn's topics on Kafka at "
                            + kafka.bootstrapServers()
                            + " from here ("
                            + e.getMessage()
                            + "); the job needs them to exist");
        }
    }

    private static String alreadyRunning(FlinkCluster cluster, JobSummary job, String savepointDir)
            throws InterruptedException {
        String parallelism;
        try {
            parallelism =
                    cluster.job(job.id()).map(d -> ", parallelism " + d.parallelism()).orElse("");
        } catch (IOException e) {
            parallelism = "";
        }
        return "a Flowfn job already runs on "
                + cluster.url()
                + ": job "
                + job.id()
                + " ("
                + job.state()
                + parallelism
                + ", since "
                + Instant.ofEpochMilli(job.startMillis())
                + "); a second one would read the same events again. Instead:\n"
                + "  change its parallelism:  flowfn scale --flink "
                + cluster.url()
                + " --parallelism P\n"
                + "  or stop it with a savepoint, then submit again from that savepoint:\n"
                + "    flink stop --savepointPath "
                + savepointDir
                + " "
                + job.id()
                + "   (or POST "
                + cluster.url()
                + "jobs/"
                + job.id()
                + "/stop)\n"
                + "    flowfn submit ... --from-savepoint <the savepoint it wrote>";
    }
}
