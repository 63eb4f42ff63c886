package dev.flowfn.deploy.flink;

import dev.flowfn.job.JobParameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code --key value} program arguments of the Flowfn job jar (read by {@code FlowfnJob.main}
 * with {@code ParameterTool.fromArgs}): Flowfn's {@code JobOptions} and any Flink option for the
 * job, such as {@code execution.checkpointing.interval}.
 *
 * <p>Some values are secrets ({@code flowfn.s3.secret-key}, a Kafka SASL configuration). {@link
 * #toString}, {@link #masked} and {@link #mask} show them as {@value #MASK}, as the job shows them
 * on the cluster; only {@link #list} (what is sent to the JobManager) holds them.
 *
 * <p>Immutable; any thread.
 */
public final class ProgramArgs {

    public static final String MASK = "******";
    static final ProgramArgs NONE = new ProgramArgs(Map.of());

    private final Map<String, String> options;

    private ProgramArgs(Map<String, String> options) {
        this.options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** One {@code --key value} pair per entry, in key order. */
    public static ProgramArgs of(Map<String, String> options) {
        return new ProgramArgs(options);
    }

    /**
     * Whether the value of {@code key} is a secret: a credential as the job itself tells them apart
     * ({@link JobParameters#isCredential}: the S3 keys, every Kafka client property, a key naming a
     * secret, password or token).
     */
    public static boolean isSecret(String key) {
        return JobParameters.isCredential(key);
    }

    public Map<String, String> options() {
        return options;
    }

    /** These arguments with {@code key} set to {@code value}. */
    public ProgramArgs with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(options);
        copy.put(key, value);
        return new ProgramArgs(copy);
    }

    /** The arguments as sent to the JobManager, secrets included: never print these. */
    public List<String> list() {
        List<String> args = new ArrayList<>();
        options.forEach(
                (key, value) -> {
                    args.add("--" + key);
                    args.add(value);
                });
        return args;
    }

    /** The arguments with every secret value replaced by {@value #MASK}, for logs and messages. */
    public List<String> masked() {
        List<String> args = new ArrayList<>();
        options.forEach(
                (key, value) -> {
                    args.add("--" + key);
                    args.add(isSecret(key) ? MASK : value);
                });
        return args;
    }

    /**
     * {@code text} with any secret value in it replaced by {@value #MASK} (for error messages from
     * the cluster).
     */
    public String mask(String text) {
        String masked = text;
        for (Map.Entry<String, String> option : options.entrySet()) {
            String value = option.getValue();
            // a short value of a Kafka client property (acks=1) is no secret, and masking it
            // would garble the message
            if (isSecret(option.getKey())
                    && (value.length() >= 6 || namesSecret(option.getKey()) && !value.isEmpty())) {
                masked = masked.replace(value, MASK);
            }
        }
        return masked;
    }

    private static boolean namesSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("secret") || k.contains("password") || k.contains("token");
    }

    @Override
    public String toString() {
        return String.join(" ", masked());
    }
}
