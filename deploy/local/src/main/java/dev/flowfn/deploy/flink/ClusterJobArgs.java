package dev.flowfn.deploy.flink;

import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.job.JobOptions;
import dev.flowfn.job.JobParameters;
import dev.flowfn.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The program arguments of the Flowfn job on a cluster: as {@code flowfn submit} first runs it
 * ({@link #forSubmit}), and as {@code flowfn scale} runs it again ({@link #again}) from the options
 * the job shows on the cluster ({@link JobParameters}) plus the credentials, which it never shows
 * and which must be given again.
 *
 * <p>Stateless; any thread.
 */
public final class ClusterJobArgs {

    public static final String PARALLELISM = "parallelism.default";
    public static final String CHECKPOINT_INTERVAL = "execution.checkpointing.interval";
    public static final String SAVEPOINT_DIR = "execution.checkpointing.savepoint-dir";

    private static final String KAFKA_PROPERTIES = JobOptions.KAFKA_PROPERTIES.key() + ".";

    /** What {@code flowfn submit} was given. */
    public record Submit(
            KafkaClientConfig kafka,
            String s3Endpoint,
            S3Credentials s3,
            String savepointDir,
            Duration checkpointInterval,
            int parallelism,
            Map<String, String> conf) {

        public Submit {
            conf = Map.copyOf(conf);
        }
    }

    /**
     * The Flink options the Flowfn job wants wherever it runs, the MiniCluster of {@code flowfn
     * local} included: checkpoints every {@code checkpointInterval} and retained when the job is
     * cancelled, state on the heap, records handed between tasks within a millisecond (HTTP replies
     * wait on it), restarts with exponential delay.
     */
    public static Map<String, String> flinkDefaults(Duration checkpointInterval) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(CHECKPOINT_INTERVAL, checkpointInterval.toMillis() + "ms");
        options.put(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        options.put("execution.checkpointing.num-retained", "2");
        options.put("state.backend.type", "hashmap");
        options.put("execution.buffer-timeout.interval", "1ms");
        options.put("restart-strategy.type", "exponential-delay");
        return options;
    }

    /**
     * The job's arguments for a first run: the Kafka client configuration, the code store, the
     * savepoint directory, {@link #flinkDefaults}, the parallelism, then {@code conf} over all of
     * them. No jar id yet: {@link ProgramArgs#with} adds it once the jar is on the cluster.
     */
    public static ProgramArgs forSubmit(Submit submit) {
        Map<String, String> options = new TreeMap<>(flinkDefaults(submit.checkpointInterval()));
        options.put(JobOptions.KAFKA_BOOTSTRAP_SERVERS.key(), submit.kafka().bootstrapServers());
        options.putAll(submit.kafka().extraProperties(KAFKA_PROPERTIES));
        options.put(JobOptions.S3_ENDPOINT.key(), submit.s3Endpoint());
        options.put(JobOptions.S3_ACCESS_KEY.key(), submit.s3().accessKey());
        options.put(JobOptions.S3_SECRET_KEY.key(), submit.s3().secretKey());
        options.put(SAVEPOINT_DIR, submit.savepointDir());
        options.put(PARALLELISM, Integer.toString(submit.parallelism()));
        options.putAll(submit.conf());
        return ProgramArgs.of(options);
    }

    /**
     * The arguments to run a job again as it ran, from the options it shows on the cluster ({@code
     * shown}) with {@code parallelism}, {@code conf} over them, and its credentials given again.
     *
     * @param kafka the Kafka client configuration given again: needed when the job has Kafka client
     *     properties (the cluster shows their names only); it must name the same bootstrap servers
     * @param s3 the code store's keys, given again
     * @throws IllegalArgumentException naming what is missing or does not match, and how to give it
     */
    public static ProgramArgs again(
            Map<String, String> shown,
            Optional<KafkaClientConfig> kafka,
            Optional<S3Credentials> s3,
            Map<String, String> conf,
            int parallelism) {
        Map<String, String> options = new TreeMap<>(shown);
        String bootstrap = shown.get(JobOptions.KAFKA_BOOTSTRAP_SERVERS.key());
        Set<String> kafkaProperties = new TreeSet<>();
        shown.keySet().stream()
                .filter(k -> k.startsWith(KAFKA_PROPERTIES))
                .forEach(k -> kafkaProperties.add(k.substring(KAFKA_PROPERTIES.length())));
        if (kafka.isPresent()) {
            KafkaClientConfig given = kafka.get();
            if (bootstrap != null && !bootstrap.equals(given.bootstrapServers())) {
                throw new IllegalArgumentException(
                        "the job reads Kafka at "
                                + bootstrap
                                + " but the Kafka configuration given names "
                                + given.bootstrapServers()
                                + ": give the one the job was submitted with (its savepoint holds"
                                + " offsets of that cluster)");
            }
            Set<String> missing = new TreeSet<>(kafkaProperties);
            missing.removeAll(given.extraProperties("").keySet());
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        "the job was submitted with the Kafka client properties "
                                + kafkaProperties
                                + "; the --kafka-config given lacks "
                                + missing
                                + ": give the file the job was submitted with");
            }
            options.keySet().removeIf(k -> k.startsWith(KAFKA_PROPERTIES));
            options.putAll(given.extraProperties(KAFKA_PROPERTIES));
        } else if (!kafkaProperties.isEmpty()) {
            throw new IllegalArgumentException(
                    "the job was submitted with the Kafka client properties "
                            + kafkaProperties
                            + ", which are never stored: give its --kafka-config FILE again");
        }
        boolean needsS3 =
                JobParameters.HIDDEN.equals(shown.get(JobOptions.S3_ACCESS_KEY.key()))
                        || JobParameters.HIDDEN.equals(shown.get(JobOptions.S3_SECRET_KEY.key()));
        if (s3.isPresent()) {
            options.put(JobOptions.S3_ACCESS_KEY.key(), s3.get().accessKey());
            options.put(JobOptions.S3_SECRET_KEY.key(), s3.get().secretKey());
        } else if (needsS3) {
            throw new IllegalArgumentException(
                    "the job's S3 keys are never stored: set FLOWFN_S3_ACCESS_KEY and"
                            + " FLOWFN_S3_SECRET_KEY in the environment, as for flowfn submit");
        }
        options.putAll(conf);
        options.put(PARALLELISM, Integer.toString(parallelism));
        List<String> stillHidden =
                options.entrySet().stream()
                        .filter(e -> JobParameters.HIDDEN.equals(e.getValue()))
                        .map(Map.Entry::getKey)
                        .toList();
        if (!stillHidden.isEmpty()) {
            throw new IllegalArgumentException(
                    "the cluster never shows the values of "
                            + stillHidden
                            + ": give each again with --conf KEY=VALUE");
        }
        return ProgramArgs.of(options);
    }

    private ClusterJobArgs() {}
}
