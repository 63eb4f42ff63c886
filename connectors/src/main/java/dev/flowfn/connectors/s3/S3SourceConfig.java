package dev.flowfn.connectors.s3;

import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.contract.EventTypes;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the pulled S3 sources ({@link S3PollSourceConnector}, {@link
 * MinioListenSourceConnector}): one bucket (and prefix) per connector, one task.
 */
public final class S3SourceConfig extends AbstractConfig {

    public static final String ENDPOINT = "s3.endpoint";
    public static final String ACCESS_KEY = "s3.access.key";
    public static final String SECRET_KEY = "s3.secret.key";
    public static final String REGION = "s3.region";
    public static final String BUCKET = "s3.bucket";
    public static final String PREFIX = "s3.prefix";
    public static final String SUFFIX = "s3.suffix";
    public static final String TOPIC = "topic";
    public static final String LOOKBACK_MS = "s3.lookback.ms";
    public static final String INITIAL = "s3.initial";
    public static final String POLL_INTERVAL_MS = "s3.poll.interval.ms";
    public static final String MAX_RECORDS = "s3.max.records";
    public static final String LISTEN_EVENTS = "s3.listen.events";
    public static final String LISTEN_RELIST_MS = "s3.listen.relist.ms";

    static final ConfigDef COMMON =
            new ConfigDef()
                    .define(
                            ENDPOINT,
                            Type.STRING,
                            ConfigDef.NO_DEFAULT_VALUE,
                            (name, value) -> endpoint(name, (String) value),
                            Importance.HIGH,
                            "S3 API endpoint, e.g. http://127.0.0.1:9000")
                    .define(
                            ACCESS_KEY,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "access key (empty: anonymous)")
                    .define(SECRET_KEY, Type.PASSWORD, "", Importance.HIGH, "secret key")
                    .define(
                            REGION,
                            Type.STRING,
                            "us-east-1",
                            Importance.LOW,
                            "region used to sign requests")
                    .define(
                            BUCKET,
                            Type.STRING,
                            ConfigDef.NO_DEFAULT_VALUE,
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "the bucket to watch")
                    .define(
                            PREFIX,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "only keys starting with this")
                    .define(
                            SUFFIX,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "only keys ending with this")
                    .define(
                            TOPIC,
                            Type.STRING,
                            Topics.EVENTS,
                            new ConfigDef.NonEmptyString(),
                            Importance.LOW,
                            "topic the events go to")
                    .define(
                            LOOKBACK_MS,
                            Type.LONG,
                            300_000L,
                            ConfigDef.Range.atLeast(0),
                            Importance.LOW,
                            "how far behind the newest modification time seen an object may still"
                                    + " appear in a listing (a slow upload) and be emitted; objects"
                                    + " modified within it are remembered in the offsets")
                    .define(
                            INITIAL,
                            Type.STRING,
                            "new",
                            ConfigDef.ValidString.in("new", "all"),
                            Importance.MEDIUM,
                            "on the very first start (no offsets): 'new' emits only objects"
                                    + " created afterwards, 'all' also every object already there")
                    .define(
                            MAX_RECORDS,
                            Type.INT,
                            500,
                            ConfigDef.Range.between(1, 10_000),
                            Importance.LOW,
                            "records returned by one poll()");

    /** Settings of {@link S3PollSourceConnector}. */
    public static final ConfigDef POLL =
            new ConfigDef(COMMON)
                    .define(
                            POLL_INTERVAL_MS,
                            Type.LONG,
                            10_000L,
                            ConfigDef.Range.atLeast(100),
                            Importance.MEDIUM,
                            "time between two listings of the bucket");

    /** Settings of {@link MinioListenSourceConnector}. */
    public static final ConfigDef LISTEN =
            new ConfigDef(COMMON)
                    .define(
                            LISTEN_EVENTS,
                            Type.LIST,
                            List.of(
                                    EventTypes.S3_OBJECT_CREATED_PREFIX + "*",
                                    EventTypes.S3_OBJECT_REMOVED_PREFIX + "*"),
                            Importance.MEDIUM,
                            "MinIO event names to listen for")
                    .define(
                            LISTEN_RELIST_MS,
                            Type.LONG,
                            60_000L,
                            ConfigDef.Range.atLeast(1000),
                            Importance.LOW,
                            "besides at start and on every reconnection, list the bucket this"
                                    + " often to emit uploads the listen stream missed");

    S3SourceConfig(ConfigDef def, Map<String, String> props) {
        super(def, props);
    }

    String endpoint() {
        return getString(ENDPOINT);
    }

    String accessKey() {
        return getString(ACCESS_KEY);
    }

    /** Never logged; AbstractConfig prints PASSWORD values as [hidden]. */
    String secretKey() {
        return getPassword(SECRET_KEY).value();
    }

    String region() {
        return getString(REGION);
    }

    String bucket() {
        return getString(BUCKET);
    }

    String prefix() {
        return getString(PREFIX);
    }

    String suffix() {
        return getString(SUFFIX);
    }

    String topic() {
        return getString(TOPIC);
    }

    long lookbackMs() {
        return getLong(LOOKBACK_MS);
    }

    boolean emitExisting() {
        return getString(INITIAL).equals("all");
    }

    int maxRecords() {
        return getInt(MAX_RECORDS);
    }

    private static void endpoint(String name, String value) {
        String hint = "; expected an http(s) URL like http://127.0.0.1:9000";
        if (value == null || value.isBlank()) {
            throw new ConfigException(name, value, "is required" + hint);
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "is not a URL" + hint);
        }
        if (uri.getRawUserInfo() != null) {
            // the value is not echoed: it holds credentials
            throw new ConfigException(
                    name
                            + " must not hold credentials (user:password@); set "
                            + ACCESS_KEY
                            + " and "
                            + SECRET_KEY
                            + " instead");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null) {
            throw new ConfigException(name, value, "must be http(s)://host[:port]" + hint);
        }
    }
}
