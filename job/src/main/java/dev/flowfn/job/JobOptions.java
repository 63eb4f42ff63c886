package dev.flowfn.job;

import dev.flowfn.job.runtime.SdkHome;
import dev.flowfn.job.runtime.WorkerPool;
import dev.flowfn.kafka.KafkaClientConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * Every setting of the Flowfn job, declared once. Pass them as Flink configuration ({@code
 * -Dflowfn.kafka.bootstrap-servers=...} or {@code config.yaml}) or as {@code --key value} program
 * arguments.
 */
public final class JobOptions {

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            ConfigOptions.key("flowfn.kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("127.0.0.1:9092")
                    .withDescription("Kafka brokers that carry every Flowfn topic.");

    /**
     * A prefix map: each {@code flowfn.kafka.properties.<property>} is one client property of every
     * Kafka client of the job.
     */
    public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES =
            ConfigOptions.key("flowfn.kafka.properties")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "Kafka client properties (SASL, TLS...) for every Kafka client of the"
                                    + " job: its sources, its exactly-once sink and the clients of"
                                    + " its functions' emits and progress reports. One key per"
                                    + " property, e.g. flowfn.kafka.properties.security.protocol:"
                                    + " SASL_SSL.");

    public static final ConfigOption<String> TRIGGER_TOPIC_PATTERN =
            ConfigOptions.key("flowfn.kafka.trigger-topic-pattern")
                    .stringType()
                    .defaultValue("flowfn\\.events|(?!flowfn\\.|__|_).+")
                    .withDescription(
                            "Regex of the topics the job reads events from: flowfn.events plus every topic a"
                                    + " kafka:topic= trigger may name. New topics are picked up without restart.");

    public static final ConfigOption<List<String>> S3_NOTIFICATION_TOPICS =
            ConfigOptions.key("flowfn.s3.notification-topics")
                    .stringType()
                    .asList()
                    .defaultValues(dev.flowfn.schemas.s3.MinioKafkaTarget.DEFAULT_TOPIC)
                    .withDescription(
                            "Topics where MinIO's own Kafka notification target writes bucket notifications"
                                    + " (MINIO_NOTIFY_KAFKA_TOPIC); the job turns them into s3 events."
                                    + " Each must also match the trigger topic pattern.");

    public static final ConfigOption<Duration> TOPIC_DISCOVERY_INTERVAL =
            ConfigOptions.key("flowfn.kafka.topic-discovery-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "How often the job looks for new trigger topics and partitions.");

    public static final ConfigOption<String> CONSUMER_GROUP =
            ConfigOptions.key("flowfn.kafka.consumer-group")
                    .stringType()
                    .defaultValue("flowfn-job")
                    .withDescription(
                            "Consumer group for the job's sources; offsets are also committed here, so a job"
                                    + " started without a checkpoint continues where the last one stopped.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("flowfn.kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("flowfn-job")
                    .withDescription(
                            "Prefix of the exactly-once sink's transactional ids; unique per job.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("flowfn.kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "Producer transaction timeout; above the checkpoint interval, below the broker's"
                                    + " transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<Duration> SINK_LINGER =
            ConfigOptions.key("flowfn.kafka.sink-linger")
                    .durationType()
                    .defaultValue(Duration.ofMillis(5))
                    .withDescription(
                            "How long the sink's producer waits to batch records (linger.ms). No reply waits"
                                    + " for it: the job pushes an HTTP request's result as it emits it, and"
                                    + " results are read once committed, at the checkpoint, which flushes the"
                                    + " producer. Longer batches mean fewer produce requests for the broker to"
                                    + " handle: 5ms answered 17% more HTTP requests a second than 1ms on 2"
                                    + " cores (bench scenario 8). A reader of uncommitted records"
                                    + " (read_uncommitted) sees them up to this much later.");

    public static final ConfigOption<TransactionNamingStrategy> SINK_TRANSACTION_NAMING =
            ConfigOptions.key("flowfn.kafka.transaction-naming")
                    .enumType(TransactionNamingStrategy.class)
                    .defaultValue(TransactionNamingStrategy.INCREMENTING)
                    .withDescription(
                            "How the exactly-once sinks name their Kafka transactions. INCREMENTING takes a"
                                    + " new id at every checkpoint, which the broker keeps for"
                                    + " transactional.id.expiration.ms (7 days by default; the brokers flowfn"
                                    + " starts keep them 1 hour): set it lower on your own brokers, as with 1 s"
                                    + " checkpoints each sink subtask uses 86,400 ids a day. POOLING reuses a"
                                    + " few ids per sink subtask, but with connector 5.0.0 a restore at a lower"
                                    + " parallelism (a downscale, or reactive mode losing a TaskManager) can"
                                    + " leave a transaction open that no one ends (FLINK-40626): every"
                                    + " read_committed reader of its partitions stalls until"
                                    + " flowfn.kafka.transaction-timeout. POOLING also needs Describe and Read"
                                    + " on every topic the job writes. Going from INCREMENTING to POOLING keeps"
                                    + " a job's state; back is not supported.");

    public static final ConfigOption<Boolean> SINK_OWN_TASK =
            ConfigOptions.key("flowfn.kafka.sink-own-task")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Run the results sink in a task of its own instead of chained to the function"
                                    + " group, so the sink's transaction work at each checkpoint (starting the"
                                    + " next transaction, flushing, committing) never holds up dispatch. Off"
                                    + " by default: a task more costs each checkpoint a hop, and on a busy"
                                    + " machine a thread more to schedule.");

    public static final ConfigOption<String> S3_ENDPOINT =
            ConfigOptions.key("flowfn.s3.endpoint")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "S3 / MinIO endpoint holding function code (s3:// code URIs).");

    public static final ConfigOption<String> S3_ACCESS_KEY =
            ConfigOptions.key("flowfn.s3.access-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Access key for the code store.");

    public static final ConfigOption<String> S3_SECRET_KEY =
            ConfigOptions.key("flowfn.s3.secret-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Secret key for the code store (masked in Flink's logs).");

    public static final ConfigOption<Integer> DISPATCH_CAPACITY =
            ConfigOptions.key("flowfn.dispatch.capacity")
                    .intType()
                    .defaultValue(1000)
                    .withDescription(
                            "Invocations in flight per parallel dispatch instance, all functions together.");

    public static final ConfigOption<Boolean> DISPATCH_INLINE =
            ConfigOptions.key("flowfn.dispatch.inline")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Run a function measured fast (64 attempts in a row under 200 µs) on the task"
                                    + " thread instead of a handler thread; one attempt over 2 ms moves it back.");

    public static final ConfigOption<Duration> PENDING_GRACE =
            ConfigOptions.key("flowfn.registry.pending-grace")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How long a direct invocation naming a function the job has not seen yet waits for"
                                    + " the registry before it becomes an UNKNOWN_FUNCTION dead letter.");

    public static final ConfigOption<Duration> DEDUP_WINDOW =
            ConfigOptions.key("flowfn.dedup.window")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "How long the job remembers the ids of events with a source identity (object"
                                    + " notifications, timer ticks) to drop their redeliveries.");

    public static final ConfigOption<Duration> IDLE_UNLOAD =
            ConfigOptions.key("flowfn.dispatch.idle-unload")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "A function version's class loader is dropped after this long without events.");

    public static final ConfigOption<String> WORKERS_SDK_HOME =
            ConfigOptions.key("flowfn.workers.sdk-home")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The Flowfn home on the TaskManagers (the folder holding sdk/nodejs and"
                                    + " sdk/python), where the Node.js and Python workers start from."
                                    + " Default: -Dflowfn.home, FLOWFN_HOME_DIR, or the nearest"
                                    + " folder at or above the working directory with sdk/.");

    public static final ConfigOption<Integer> WORKERS_MAX =
            ConfigOptions.key("flowfn.workers.max")
                    .intType()
                    .defaultValue(32)
                    .withDescription(
                            "Worker processes at once per TaskManager, all functions together;"
                                    + " idle ones of other functions are stopped to make room.");

    public static final ConfigOption<Integer> WORKERS_MEMORY_BUDGET_MB =
            ConfigOptions.key("flowfn.workers.memory-budget-mb")
                    .intType()
                    .defaultValue(8192)
                    .withDescription(
                            "The sum of the --memory of the worker processes running at once per"
                                    + " TaskManager.");

    public static final ConfigOption<Duration> WORKERS_IDLE_STOP =
            ConfigOptions.key("flowfn.workers.idle-stop")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A worker process with nothing to run is stopped after this long; the"
                                    + " next event starts one again.");

    public static final ConfigOption<Duration> WORKERS_START_TIMEOUT =
            ConfigOptions.key("flowfn.workers.start-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(20))
                    .withDescription(
                            "How long a worker process may take from its start to its HELLO.");

    public static final ConfigOption<String> CODE_CACHE_DIR =
            ConfigOptions.key("flowfn.dispatch.code-cache-dir")
                    .stringType()
                    .defaultValue(System.getProperty("java.io.tmpdir") + "/flowfn-code")
                    .withDescription(
                            "Where TaskManagers keep downloaded function jars, by SHA-256.");

    public static final ConfigOption<Integer> MAX_LOG_LINES =
            ConfigOptions.key("flowfn.logs.max-lines-per-invocation")
                    .intType()
                    .defaultValue(1000)
                    .withDescription(
                            "Log lines kept per invocation; beyond it one truncation marker is written.");

    public static final ConfigOption<Duration> METERING_WINDOW =
            ConfigOptions.key("flowfn.metering.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Size of the event-time tumbling windows usage is metered in.");

    public static final ConfigOption<Duration> METERING_ALLOWED_LATENESS =
            ConfigOptions.key("flowfn.metering.allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How long a closed window still takes late attempts (re-emitted as the next revision);"
                                    + " later ones become separate late records, never dropped.");

    public static final ConfigOption<Duration> METERING_MAX_DELAY =
            ConfigOptions.key("flowfn.metering.max-delay")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription("How far the metering watermark trails the wall clock.");

    public static final ConfigOption<Boolean> PUBLISH_INVOCATIONS =
            ConfigOptions.key("flowfn.invocations.publish")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also write every attempt's record to flowfn.invocations (an audit trail; doubles"
                                    + " the writes at high rates). Metering is exact without it.");

    public static final ConfigOption<String> SUBMITTED_JAR_ID =
            ConfigOptions.key("flowfn.submit.jar-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The id the Flink cluster gave the uploaded jar this job runs from (set by"
                                    + " flowfn submit); flowfn scale runs that jar again. The job itself"
                                    + " does not read it.");

    /** All options, for help output and documentation. */
    public static final List<ConfigOption<?>> ALL =
            List.of(
                    KAFKA_BOOTSTRAP_SERVERS,
                    KAFKA_PROPERTIES,
                    TRIGGER_TOPIC_PATTERN,
                    S3_NOTIFICATION_TOPICS,
                    TOPIC_DISCOVERY_INTERVAL,
                    CONSUMER_GROUP,
                    TRANSACTIONAL_ID_PREFIX,
                    TRANSACTION_TIMEOUT,
                    SINK_LINGER,
                    SINK_OWN_TASK,
                    SINK_TRANSACTION_NAMING,
                    S3_ENDPOINT,
                    S3_ACCESS_KEY,
                    S3_SECRET_KEY,
                    DISPATCH_CAPACITY,
                    DISPATCH_INLINE,
                    PENDING_GRACE,
                    DEDUP_WINDOW,
                    IDLE_UNLOAD,
                    WORKERS_SDK_HOME,
                    WORKERS_MAX,
                    WORKERS_MEMORY_BUDGET_MB,
                    WORKERS_IDLE_STOP,
                    WORKERS_START_TIMEOUT,
                    CODE_CACHE_DIR,
                    MAX_LOG_LINES,
                    METERING_WINDOW,
                    METERING_ALLOWED_LATENESS,
                    METERING_MAX_DELAY,
                    PUBLISH_INVOCATIONS,
                    SUBMITTED_JAR_ID);

    /** The worker pool's settings; the SDK home found as {@link #WORKERS_SDK_HOME} says. */
    public static WorkerPool.Settings workerPoolSettings(Configuration conf) {
        String home =
                conf.getOptional(WORKERS_SDK_HOME)
                        .orElseGet(
                                () ->
                                        SdkHome.find(
                                                        System.getProperty("flowfn.home"),
                                                        System.getenv("FLOWFN_HOME_DIR"),
                                                        Path.of(System.getProperty("user.dir")))
                                                .map(Path::toString)
                                                .orElse(System.getProperty("user.dir")));
        return new WorkerPool.Settings(
                home,
                conf.get(WORKERS_MAX),
                conf.get(WORKERS_MEMORY_BUDGET_MB),
                conf.get(WORKERS_IDLE_STOP),
                conf.get(WORKERS_START_TIMEOUT));
    }

    /** Where the job takes the code store's keys from when its arguments do not give them. */
    public static final String S3_ACCESS_KEY_ENV = "FLOWFN_S3_ACCESS_KEY";

    public static final String S3_SECRET_KEY_ENV = "FLOWFN_S3_SECRET_KEY";

    /**
     * {@code conf} with the code store's keys taken from the environment ({@value
     * #S3_ACCESS_KEY_ENV}, {@value #S3_SECRET_KEY_ENV}) where it has none: so a deployment can pass
     * them from a secret store (a Kubernetes Secret) rather than as program arguments, which
     * Flink's web UI shows.
     */
    public static Configuration withEnvironmentKeys(Configuration conf, Map<String, String> env) {
        Configuration out = new Configuration(conf);
        copyFromEnv(out, S3_ACCESS_KEY, env.get(S3_ACCESS_KEY_ENV));
        copyFromEnv(out, S3_SECRET_KEY, env.get(S3_SECRET_KEY_ENV));
        return out;
    }

    private static void copyFromEnv(Configuration conf, ConfigOption<String> key, String value) {
        if (!conf.contains(key) && value != null && !value.isBlank()) {
            conf.set(key, value);
        }
    }

    /** How every Kafka client of the job reaches Kafka: the bootstrap servers plus properties. */
    public static KafkaClientConfig kafkaClientConfig(Configuration conf) {
        return KafkaClientConfig.of(conf.get(KAFKA_BOOTSTRAP_SERVERS))
                .withProperties(conf.get(KAFKA_PROPERTIES));
    }

    /** Sets the bootstrap servers and each client property of {@code kafka} on {@code conf}. */
    public static void setKafkaClientConfig(Configuration conf, KafkaClientConfig kafka) {
        conf.set(KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        kafka.extraProperties(KAFKA_PROPERTIES.key() + ".").forEach(conf::setString);
    }

    private JobOptions() {}
}
