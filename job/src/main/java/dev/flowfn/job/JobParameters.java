package dev.flowfn.job;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * What the job shows of its own options on the cluster: its program arguments as Flink's global job
 * parameters, which the REST API serves as the {@code user-config} of {@code GET /jobs/<id>/config}
 * (the web UI's Configuration tab). {@code flowfn scale} reads them back to run the job again with
 * the same options.
 *
 * <p>Credentials are never among them. Their keys are shown with the value {@value #HIDDEN}, so a
 * reader knows they must be given again: the S3 keys, every Kafka client property (any of them may
 * hold a SASL password or a TLS private key, and no key name tells which), and any other option
 * whose key names a secret (by Flowfn's rule or by Flink's own, {@link
 * GlobalConfiguration#isSensitive}).
 *
 * <p>Stateless; any thread.
 */
public final class JobParameters {

    /** The value shown for a credential, as Flink itself shows sensitive values. */
    public static final String HIDDEN = "******";

    private static final String KAFKA_PROPERTIES_PREFIX = JobOptions.KAFKA_PROPERTIES.key() + ".";
    private static final String[] SECRET_KEY_PARTS = {
        "secret", "password", "token", "jaas", "credential", "private"
    };

    /** The options as the cluster may show them: every key, credentials' values {@link #HIDDEN}. */
    public static Map<String, String> shown(Map<String, String> options) {
        Map<String, String> shown = new TreeMap<>();
        options.forEach((key, value) -> shown.put(key, isCredential(key) ? HIDDEN : value));
        return shown;
    }

    /**
     * Whether the value of option {@code key} is a credential: an S3 key, a Kafka client property,
     * or a key that names a secret, password, token, JAAS configuration or private key.
     */
    public static boolean isCredential(String key) {
        if (key.equals(JobOptions.S3_ACCESS_KEY.key())
                || key.equals(JobOptions.S3_SECRET_KEY.key())
                || key.startsWith(KAFKA_PROPERTIES_PREFIX)) {
            return true;
        }
        String k = key.toLowerCase(Locale.ROOT);
        for (String part : SECRET_KEY_PARTS) {
            if (k.contains(part)) {
                return true;
            }
        }
        return GlobalConfiguration.isSensitive(key);
    }

    private JobParameters() {}
}
