package dev.flowfn.connectors.timer;

import dev.flowfn.connectors.KafkaClientSetting;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Every setting of the timer connector, declared once with its default and validator. */
public final class TimerConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "flowfn.bootstrap.servers";
    public static final String TOPIC = "topic";
    public static final String CATCHUP_MAX = "timer.catchup.max";
    public static final String MISFIRE_THRESHOLD_MS = "timer.misfire.threshold.ms";
    public static final String POLL_INTERVAL_MS = "timer.poll.interval.ms";
    public static final String CLOCK_CLASS = "timer.clock.class";

    /** Set by the connector on each task's configuration: which share of the functions it runs. */
    static final String TASK_INDEX = "task.index";

    static final String TASK_COUNT = "task.count";

    public static final ConfigDef DEF =
            KafkaClientSetting.define(new ConfigDef(), BOOTSTRAP_SERVERS)
                    .define(
                            BOOTSTRAP_SERVERS,
                            Type.STRING,
                            ConfigDef.NO_DEFAULT_VALUE,
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "Kafka brokers holding the function registry ("
                                    + Topics.FUNCTIONS
                                    + "); the schedule follows it.")
                    .define(
                            TOPIC,
                            Type.STRING,
                            Topics.EVENTS,
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Topic the timer.tick events are written to.")
                    .define(
                            CATCHUP_MAX,
                            Type.INT,
                            1000,
                            Range.between(1, 100_000),
                            Importance.MEDIUM,
                            "At most this many missed ticks fire per trigger for catchup=all after"
                                    + " downtime (the newest ones; older ones are skipped and logged).")
                    .define(
                            MISFIRE_THRESHOLD_MS,
                            Type.LONG,
                            60_000L,
                            Range.atLeast(0),
                            Importance.LOW,
                            "A tick fired later than this after its scheduled time counts as missed:"
                                    + " the trigger's catchup policy decides whether it fires.")
                    .define(
                            POLL_INTERVAL_MS,
                            Type.LONG,
                            1_000L,
                            Range.between(1, 60_000),
                            Importance.LOW,
                            "Longest wait between looks at the clock and the registry.")
                    .define(
                            CLOCK_CLASS,
                            Type.STRING,
                            "",
                            Importance.LOW,
                            "For tests: a java.time.Clock subclass with a public no-arg constructor"
                                    + " to read the time from; empty = the system clock (UTC).")
                    .defineInternal(TASK_INDEX, Type.INT, 0, Importance.LOW)
                    .defineInternal(TASK_COUNT, Type.INT, 1, Importance.LOW);

    public TimerConfig(Map<String, String> props) {
        super(DEF, props);
    }

    String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    /** How to reach the brokers of {@link #BOOTSTRAP_SERVERS}. */
    KafkaClientConfig kafka() {
        return KafkaClientSetting.clientConfig(
                bootstrapServers(), getPassword(KafkaClientSetting.KEY));
    }

    String topic() {
        return getString(TOPIC);
    }

    int catchupMax() {
        return getInt(CATCHUP_MAX);
    }

    Duration misfireThreshold() {
        return Duration.ofMillis(getLong(MISFIRE_THRESHOLD_MS));
    }

    Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS));
    }

    int taskIndex() {
        return getInt(TASK_INDEX);
    }

    int taskCount() {
        return getInt(TASK_COUNT);
    }

    /** The clock named by {@link #CLOCK_CLASS}, or the system clock. */
    Clock clock() {
        String name = getString(CLOCK_CLASS);
        if (name == null || name.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            Object clock = Class.forName(name.trim()).getConstructor().newInstance();
            if (clock instanceof Clock c) {
                return c;
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigException(
                    CLOCK_CLASS,
                    name,
                    "cannot be created ("
                            + e
                            + "); give a public java.time.Clock subclass with a public no-arg"
                            + " constructor, or leave it empty");
        }
        throw new ConfigException(CLOCK_CLASS, name, "is not a java.time.Clock subclass");
    }
}
