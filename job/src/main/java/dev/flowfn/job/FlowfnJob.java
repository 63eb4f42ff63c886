package dev.flowfn.job;

import static dev.flowfn.kafka.KafkaClientConfig.asProperties;

import dev.flowfn.job.internal.FunctionGroupOperator;
import dev.flowfn.job.internal.KafkaRecords;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.job.internal.RegistryState;
import dev.flowfn.job.internal.RegistryUpdate;
import dev.flowfn.job.internal.SourceKeys;
import dev.flowfn.job.internal.SourceRecord;
import dev.flowfn.job.internal.alerts.AlertFunction;
import dev.flowfn.job.internal.dispatch.DispatchRuntime;
import dev.flowfn.job.internal.metering.Metering;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.MeterWindow;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Flowfn job, in the shape of a bare Flink job: records from the trigger topics, one keyBy on
 * the record's key, the function group operator (match, drop repeats, order, run, meter, encode)
 * with the registry broadcast to it, and the exactly-once sink chained to it. Metering partials
 * leave the operator on a side output, are merged per function version and window, and go with the
 * alerts evaluated on them through a second exactly-once sink.
 *
 * <pre>
 *  trigger topics ─► keyBy(record key) ─► function group ═► KafkaSink (EXACTLY_ONCE, chained)
 *  flowfn.functions ─ broadcast ─────────┘       └ partials ─► merge windows ─► alert rules ─► KafkaSink
 * </pre>
 */
public final class FlowfnJob {

    public static final String NAME = "flowfn";

    /**
     * Beyond the metering watermark delay, how late a closed metering window may reach the alert
     * rules (watermark interval, a busy task).
     */
    private static final Duration WINDOW_ARRIVAL_SLACK = Duration.ofSeconds(1);

    /** 0: the registry source's output is flushed after each record, with no flusher thread. */
    static final long REGISTRY_BUFFER_TIMEOUT_MS = 0;

    /**
     * Entry point on a Flink cluster: options come from the cluster configuration with the args
     * over it (so an application cluster can keep credentials in its configuration rather than on a
     * command line). The args are also the job's global parameters, credentials hidden ({@link
     * JobParameters}), so {@code flowfn scale} can read them back from the cluster.
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(params.getConfiguration());
        Configuration conf =
                JobOptions.withEnvironmentKeys(
                        Configuration.fromMap(env.getConfiguration().toMap()), System.getenv());
        env.getConfig()
                .setGlobalJobParameters(ParameterTool.fromMap(JobParameters.shown(params.toMap())));
        build(env, conf);
        env.execute(NAME);
    }

    /** Adds the Flowfn pipeline to {@code env}, configured by {@link JobOptions}. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        FlowfnSchemas.trustGeneratedClasses();
        // every record is made fresh and not touched after it is emitted: no defensive copies
        env.getConfig().enableObjectReuse();
        KafkaClientConfig kafka = JobOptions.kafkaClientConfig(conf);
        String group = conf.get(JobOptions.CONSUMER_GROUP);

        KafkaSource<SourceRecord> events =
                KafkaSource.<SourceRecord>builder()
                        .setProperties(asProperties(kafka.consumerProperties()))
                        .setTopicPattern(
                                Pattern.compile(conf.get(JobOptions.TRIGGER_TOPIC_PATTERN)))
                        .setGroupId(group)
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new KafkaRecords.SourceRecords())
                        .setProperty("isolation.level", "read_committed")
                        .setProperty(
                                "partition.discovery.interval.ms",
                                String.valueOf(
                                        conf.get(JobOptions.TOPIC_DISCOVERY_INTERVAL).toMillis()))
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .build();

        // The registry is always read whole: its state is the broadcast state, restored from
        // checkpoints, or rebuilt from the beginning of the compacted topic.
        KafkaSource<RegistryUpdate> registry =
                KafkaSource.<RegistryUpdate>builder()
                        .setProperties(asProperties(kafka.consumerProperties()))
                        .setTopics(Topics.FUNCTIONS)
                        .setGroupId(group + "-registry")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new KafkaRecords.RegistryUpdates())
                        .setProperty("isolation.level", "read_committed")
                        .setProperty("commit.offsets.on.checkpoint", "false")
                        .build();

        DataStream<RegistryUpdate> registryUpdates =
                env.fromSource(
                                registry,
                                WatermarkStrategy.noWatermarks(),
                                "registry: " + Topics.FUNCTIONS)
                        .uid("registry-source")
                        .setParallelism(1)
                        // flushed on every record: updates are rare, a deploy waits for none, and
                        // no flusher thread wakes every millisecond while the registry is idle
                        .setBufferTimeout(REGISTRY_BUFFER_TIMEOUT_MS);

        DispatchRuntime.Settings dispatch =
                new DispatchRuntime.Settings(
                        conf.get(JobOptions.S3_ENDPOINT),
                        conf.get(JobOptions.S3_ACCESS_KEY),
                        conf.get(JobOptions.S3_SECRET_KEY),
                        conf.get(JobOptions.CODE_CACHE_DIR),
                        conf.get(JobOptions.IDLE_UNLOAD),
                        conf.get(JobOptions.MAX_LOG_LINES),
                        kafka,
                        JobOptions.workerPoolSettings(conf));
        FunctionGroupOperator.Settings groupSettings =
                new FunctionGroupOperator.Settings(
                        dispatch,
                        conf.get(JobOptions.S3_NOTIFICATION_TOPICS),
                        conf.get(JobOptions.DISPATCH_CAPACITY),
                        conf.get(JobOptions.PENDING_GRACE),
                        conf.get(JobOptions.DEDUP_WINDOW),
                        conf.get(JobOptions.METERING_WINDOW),
                        conf.get(JobOptions.PUBLISH_INVOCATIONS),
                        conf.get(JobOptions.DISPATCH_INLINE));
        SingleOutputStreamOperator<OutputRecord> outputs =
                env.fromSource(events, WatermarkStrategy.noWatermarks(), "trigger topics")
                        .uid("event-source")
                        .keyBy(new SourceKeys())
                        .connect(registryUpdates.broadcast())
                        .transform(
                                "function group",
                                TypeInformation.of(OutputRecord.class),
                                new FunctionGroupOperator.Factory(groupSettings))
                        .uid("function-group");
        if (conf.get(JobOptions.SINK_OWN_TASK)) {
            outputs.disableChaining();
        }
        outputs.sinkTo(sink(conf, kafka, conf.get(JobOptions.TRANSACTIONAL_ID_PREFIX)))
                .uid("sink")
                .name("exactly-once sink");

        Metering.Streams metered =
                Metering.apply(
                        outputs.getSideOutput(Metering.PARTIALS),
                        conf.get(JobOptions.METERING_WINDOW),
                        conf.get(JobOptions.METERING_ALLOWED_LATENESS),
                        conf.get(JobOptions.METERING_MAX_DELAY));
        BroadcastStream<RegistryUpdate> registryState =
                registryUpdates.broadcast(RegistryState.DESCRIPTOR);
        DataStream<OutputRecord> alerts =
                metered.windows()
                        .keyBy(MeterWindow::getFunction)
                        .connect(registryState)
                        .process(
                                new AlertFunction(
                                        conf.get(JobOptions.METERING_MAX_DELAY)
                                                .plus(WINDOW_ARRIVAL_SLACK)))
                        .uid("alerts")
                        .name("alert rules")
                        .map(OutputRecords::alert)
                        .returns(TypeInformation.of(OutputRecord.class))
                        .uid("alerts-encode")
                        .setBufferTimeout(Metering.BUFFER_TIMEOUT_MS);
        metered.outputs()
                .union(alerts)
                .sinkTo(
                        sink(
                                conf,
                                kafka,
                                conf.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-metering"))
                .uid("metering-sink")
                .name("exactly-once sink: metering and alerts");
    }

    private static KafkaSink<OutputRecord> sink(
            Configuration conf, KafkaClientConfig kafka, String transactionalIdPrefix) {
        Properties producer =
                asProperties(
                        kafka.producerProperties(
                                Map.of(
                                        "linger.ms",
                                        String.valueOf(conf.get(JobOptions.SINK_LINGER).toMillis()),
                                        "transaction.timeout.ms",
                                        String.valueOf(
                                                conf.get(JobOptions.TRANSACTION_TIMEOUT)
                                                        .toMillis()))));
        return KafkaSink.<OutputRecord>builder()
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setTransactionNamingStrategy(conf.get(JobOptions.SINK_TRANSACTION_NAMING))
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(new KafkaRecords.OutputSerializer())
                .build();
    }

    private FlowfnJob() {}
}
