package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.flink.ClusterJobArgs;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.job.JobOptions;
import dev.flowfn.job.JobParameters;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.FunctionSpecRules;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code flowfn submit} command line that starts a stopped Flowfn job again from a snapshot
 * with the options it ran with (as the cluster showed them): what {@code flowfn scale} prints when
 * it could not start the job again. Its dedicated options say what they can ({@code --kafka},
 * {@code --s3-endpoint}, {@code --checkpoint-interval}...), {@code --conf} the rest. It holds no
 * secret: the Kafka client properties stay in the {@code --kafka-config} file, the S3 keys in the
 * environment, and an option whose value the cluster hides is written {@code KEY=VALUE}.
 *
 * <p>Stateless; any thread.
 */
final class RecoveryCommand {

    private static final S3Credentials PLACEHOLDER = new S3Credentials("xxx", "xxxxxxxx");
    private static final Set<String> OWN_KEYS =
            Set.of(
                    JobOptions.KAFKA_BOOTSTRAP_SERVERS.key(),
                    JobOptions.S3_ENDPOINT.key(),
                    JobOptions.S3_ACCESS_KEY.key(),
                    JobOptions.S3_SECRET_KEY.key(),
                    JobOptions.SUBMITTED_JAR_ID.key(),
                    ClusterJobArgs.SAVEPOINT_DIR,
                    ClusterJobArgs.CHECKPOINT_INTERVAL,
                    ClusterJobArgs.PARALLELISM);

    /**
     * @param shown the options the stopped job showed on the cluster
     * @param kafkaConfig the {@code --kafka-config} file given to scale, or null
     */
    static String of(
            URI flink,
            int parallelism,
            String restorePath,
            String jarId,
            Map<String, String> shown,
            Path kafkaConfig) {
        List<String> words = new ArrayList<>(List.of("flowfn", "submit"));
        add(words, "--flink", flink.toString());
        add(words, "--parallelism", Integer.toString(parallelism));
        add(words, "--from-savepoint", restorePath);
        if (jarId != null) {
            add(words, "--jar-id", jarId);
        }
        String bootstrap = shown.get(JobOptions.KAFKA_BOOTSTRAP_SERVERS.key());
        if (kafkaConfig != null) {
            add(words, "--kafka-config", kafkaConfig.toAbsolutePath().toString());
        } else if (bootstrap != null) {
            add(words, "--kafka", bootstrap);
        }
        String endpoint = shown.get(JobOptions.S3_ENDPOINT.key());
        if (endpoint != null) {
            add(words, "--s3-endpoint", endpoint);
        }
        String savepointDir = shown.get(ClusterJobArgs.SAVEPOINT_DIR);
        if (savepointDir != null) {
            add(words, "--flink-savepoint-dir", savepointDir);
        }
        Duration interval = JobConfOptions.DEFAULT_CHECKPOINT_INTERVAL;
        String shownInterval = shown.get(ClusterJobArgs.CHECKPOINT_INTERVAL);
        if (shownInterval != null) {
            interval = FunctionSpecRules.parseDuration(shownInterval);
            add(words, "--checkpoint-interval", interval.toMillis() + "ms");
        }
        // what submit sets by itself with these options; the rest of what the job showed is --conf
        Map<String, String> implied =
                ClusterJobArgs.forSubmit(
                                new ClusterJobArgs.Submit(
                                        KafkaClientConfig.of(
                                                bootstrap == null ? "unknown:9092" : bootstrap),
                                        endpoint == null ? "" : endpoint,
                                        PLACEHOLDER,
                                        savepointDir == null ? "" : savepointDir,
                                        interval,
                                        parallelism,
                                        Map.of()))
                        .options();
        for (Map.Entry<String, String> e : new TreeMap<>(shown).entrySet()) {
            String key = e.getKey();
            if (OWN_KEYS.contains(key)
                    || key.startsWith(JobOptions.KAFKA_PROPERTIES.key() + ".")
                    || e.getValue().equals(implied.get(key))) {
                continue;
            }
            add(
                    words,
                    "--conf",
                    key
                            + "="
                            + (JobParameters.HIDDEN.equals(e.getValue()) ? "VALUE" : e.getValue()));
        }
        return String.join(" ", words);
    }

    private static void add(List<String> words, String option, String value) {
        words.add(option);
        words.add(quote(value));
    }

    /** {@code value} as one shell word: as it is when safe, else in single quotes. */
    static String quote(String value) {
        if (!value.isEmpty() && value.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private RecoveryCommand() {}
}
