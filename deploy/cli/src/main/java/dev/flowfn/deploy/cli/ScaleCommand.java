package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.flink.ClusterJob;
import dev.flowfn.deploy.flink.ClusterJobArgs;
import dev.flowfn.deploy.flink.FlinkCluster;
import dev.flowfn.deploy.flink.FlinkRestClient;
import dev.flowfn.deploy.flink.ProgramArgs;
import dev.flowfn.deploy.flink.Rescale;
import dev.flowfn.job.JobOptions;
import dev.flowfn.kafka.KafkaClientConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flowfn scale}: rescales the Flowfn job on a Flink cluster by stopping it with a savepoint
 * and running the same jar from it with the new parallelism ({@link Rescale}).
 *
 * <p>The job is found by its name on the cluster, and its arguments are the ones it shows there
 * ({@link ClusterJob}): nothing is retyped but the credentials, which the cluster never shows and
 * this command never stores. They come from where {@code flowfn submit} takes them: the S3 keys
 * from the environment, the Kafka client properties from {@code --kafka-config} (asked for only
 * when the job has some).
 *
 * <p>Threads: the main thread, blocking while the cluster works.
 */
@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description = {
            "Rescale the Flowfn job running on a Flink cluster, no event lost or repeated: stop it with"
                    + " a savepoint, then run the same jar from that savepoint with the new parallelism."
                    + " Prints each step, then the downtime (savepoint triggered -> new job running).",
            "The job and its options are read from the cluster. Give again only what the cluster never"
                    + " shows: FLOWFN_S3_ACCESS_KEY and FLOWFN_S3_SECRET_KEY in the environment, and"
                    + " --kafka-config if the job was submitted with one.",
            "Whatever can be checked (task slots, max parallelism, the jar) is checked before the job"
                    + " stops. If the new job does not run, the old parallelism is restored from the same"
                    + " savepoint; if that fails too, the command to start it again is printed.",
            "Example: flowfn scale --flink http://jobmanager:8081 --parallelism 8"
        })
final class ScaleCommand extends CliCommand implements Callable<Integer> {

    @Mixin FlinkOptions flink;

    @Option(
            names = "--parallelism",
            paramLabel = "P",
            required = true,
            description = "The new number of parallel instances (task slots the job holds)")
    int parallelism;

    @Mixin KafkaOptions kafka;

    @Mixin JobConfOptions job;

    @Option(
            names = "--jar",
            paramLabel = "FILE",
            description =
                    "Upload this job jar and run it instead of the one the job was submitted with"
                            + " (only if that one is gone from the cluster)")
    Path jar;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "3m",
            description =
                    "How long the savepoint, and then the new job's start, may take each; default"
                            + " ${DEFAULT-VALUE}")
    String timeout;

    /** The environment the S3 keys come from; tests set their own. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        URI url = flink.required();
        int to = SubmitCommand.checkedParallelism(parallelism);
        Duration wait = SubmitCommand.duration("--timeout", timeout);
        Optional<KafkaClientConfig> kafkaConfig = kafka.optional();
        if (jar != null && !Files.isRegularFile(jar)) {
            throw new UsageException("--jar " + jar + " is not a file");
        }
        FlinkCluster cluster = new FlinkRestClient(url);
        PrintWriter err = err();
        PrintWriter out = out();

        ClusterJob found;
        try {
            found =
                    ClusterJob.find(cluster)
                            .orElseThrow(
                                    () ->
                                            new CliException(
                                                    "no Flowfn job runs on "
                                                            + cluster.url()
                                                            + "; start one with flowfn submit --flink "
                                                            + cluster.url()));
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
        err.println(
                "Found Flowfn job "
                        + found.id()
                        + " on "
                        + cluster.url()
                        + ": "
                        + found.summary().state()
                        + " with parallelism "
                        + found.parallelism()
                        + " since "
                        + Instant.ofEpochMilli(found.summary().startMillis()));
        if (found.jarId().isEmpty()) {
            throw new CliException(
                    "job "
                            + found.id()
                            + " was not started by flowfn submit (it names no "
                            + JobOptions.SUBMITTED_JAR_ID.key()
                            + "): if 'flowfn local --flink' runs it, start that again with"
                            + " --parallelism "
                            + to);
        }
        if (found.parallelism() == to && job.checkpointInterval().isEmpty() && job.conf.isEmpty()) {
            out.println(
                    "Flowfn job "
                            + found.id()
                            + " already runs with parallelism "
                            + to
                            + "; nothing to do.");
            return 0;
        }
        String savepointDir =
                flink.savepointDir()
                        .or(found::savepointDir)
                        .orElseThrow(
                                () ->
                                        new UsageException(
                                                "job "
                                                        + found.id()
                                                        + " names no savepoint directory: give"
                                                        + " --flink-savepoint-dir URI"));
        ProgramArgs sameJar = arguments(found, kafkaConfig, to);
        ProgramArgs args = sameJar;
        if (jar != null) {
            err.println(
                    "Uploading " + jar + " to run instead of jar " + found.jarId().get() + "...");
            try {
                args = sameJar.with(JobOptions.SUBMITTED_JAR_ID.key(), cluster.uploadJar(jar));
            } catch (IOException e) {
                throw new CliException(e.getMessage() + "; nothing was changed");
            }
        }

        Rescale.Outcome done;
        try {
            done = Rescale.run(cluster, found, args, savepointDir, wait, err::println);
        } catch (Rescale.Failed e) {
            err.println("error: " + e.getMessage());
            if (e.jobStopped()) {
                err.println(howToRestart(cluster, found, e, args));
            }
            return 1;
        } catch (IOException e) {
            // the cluster did not answer a question asked before or after the steps that change it
            throw new CliException(e.getMessage());
        }
        out.println(
                "Flowfn job    "
                        + done.toJob()
                        + "   running, parallelism "
                        + done.details().parallelism()
                        + " (was "
                        + done.fromParallelism()
                        + ", job "
                        + done.fromJob()
                        + ")");
        out.println("Savepoint     " + done.savepoint());
        out.println("Flink web UI  " + SubmitCommand.webUi(url, done.toJob()));
        out.printf(
                "Downtime      %.1f s (savepoint triggered -> new job running; the savepoint took"
                        + " %.1f s)%n",
                done.downtime().toMillis() / 1000.0, done.savepointTook().toMillis() / 1000.0);
        return 0;
    }

    /** What to run to start the job again after a failed rescale left it stopped. */
    private String howToRestart(
            FlinkCluster cluster, ClusterJob found, Rescale.Failed failure, ProgramArgs args) {
        if (failure.restorePath().isEmpty()) {
            return "No snapshot of it is known: start it with flowfn submit (it reads on from the"
                    + " offsets its consumer group committed).";
        }
        return "Start it again from there (with FLOWFN_S3_ACCESS_KEY and FLOWFN_S3_SECRET_KEY set"
                + " as for this command):\n  "
                + RecoveryCommand.of(
                        cluster.url(),
                        found.parallelism(),
                        failure.restorePath().get(),
                        args.options().get(JobOptions.SUBMITTED_JAR_ID.key()),
                        found.parameters(),
                        kafka.file);
    }

    /** The new job's arguments: the old one's, credentials given again, the new parallelism. */
    private ProgramArgs arguments(
            ClusterJob found, Optional<KafkaClientConfig> kafkaConfig, int to) {
        Map<String, String> conf = new LinkedHashMap<>(job.conf());
        job.checkpointInterval()
                .ifPresent(d -> conf.put(ClusterJobArgs.CHECKPOINT_INTERVAL, d.toMillis() + "ms"));
        try {
            return ClusterJobArgs.again(
                    found.parameters(), kafkaConfig, S3Options.credentialsIfSet(env), conf, to);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + "; nothing was changed");
        }
    }
}
