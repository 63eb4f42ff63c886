package dev.flowfn.kafka;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Why a Kafka client could not reach the cluster, in words that name the fix: which broker refused,
 * and which client property of the {@link KafkaClientConfig} to check. Kafka's own exceptions say
 * what failed but neither where nor what to change ("Authentication failed during authentication
 * due to invalid credentials with SASL mechanism SCRAM-SHA-512").
 *
 * <p>No message here holds a property's value other than the bootstrap servers, the security
 * protocol and the SASL mechanism: never a secret.
 */
public final class KafkaClientFailure {

    private KafkaClientFailure() {}

    /**
     * A message for the first login, TLS or authorization failure among {@code failure} and its
     * causes; empty if there is none (the caller keeps its own message).
     */
    public static Optional<String> explain(Throwable failure, KafkaClientConfig kafka) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SaslAuthenticationException) {
                return Optional.of(
                        "Kafka at %s refused the login (%s): check the user name and password in %s and that %s (%s) is a mechanism the broker enables"
                                .formatted(
                                        kafka.bootstrapServers(),
                                        t.getMessage(),
                                        SaslConfigs.SASL_JAAS_CONFIG,
                                        SaslConfigs.SASL_MECHANISM,
                                        property(kafka, SaslConfigs.SASL_MECHANISM, "GSSAPI")));
            }
            if (t instanceof SslAuthenticationException) {
                return Optional.of(
                        "the TLS handshake with Kafka at %s failed (%s): check that ssl.truststore.* trusts the broker's certificate and, if the broker wants a client certificate, ssl.keystore.*"
                                .formatted(kafka.bootstrapServers(), rootMessage(t)));
            }
            if (t instanceof AuthenticationException) {
                return Optional.of(
                        "Kafka at %s refused the client (%s): check %s and the sasl.* and ssl.* properties"
                                .formatted(
                                        kafka.bootstrapServers(),
                                        t.getMessage(),
                                        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
            }
            if (t instanceof AuthorizationException) {
                return Optional.of(
                        "Kafka at %s denied the client (%s): the user of %s needs access (ACLs) to Flowfn's topics, its consumer groups and transactional ids"
                                .formatted(
                                        kafka.bootstrapServers(),
                                        t.getMessage(),
                                        SaslConfigs.SASL_JAAS_CONFIG));
            }
        }
        return Optional.empty();
    }

    /**
     * {@link #explain} if it applies, else a message for a client that got no answer within {@code
     * waited} (a {@link TimeoutException} among the causes), else {@code failure}'s own message.
     */
    public static String describe(Throwable failure, KafkaClientConfig kafka, Duration waited) {
        Optional<String> explained = explain(failure, kafka);
        if (explained.isPresent()) {
            return explained.get();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return noAnswer(kafka, waited);
            }
        }
        return String.valueOf(failure.getMessage());
    }

    /**
     * A client got no answer within {@code waited}. A broker closes the connection of a client that
     * speaks another protocol (plaintext to a TLS listener, no SASL to a SASL one) without an error
     * the client could show: it only retries until it times out. So the message names both causes.
     */
    public static String noAnswer(KafkaClientConfig kafka, Duration waited) {
        return "no answer from Kafka at %s within %d s: is it running and reachable? If it is, its listener may want another %s than %s (a broker drops a client that speaks another protocol without saying why): check %s, and sasl.mechanism and sasl.jaas.config for a SASL listener"
                .formatted(
                        kafka.bootstrapServers(),
                        waited.toSeconds(),
                        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                        property(kafka, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"),
                        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    }

    private static String property(KafkaClientConfig kafka, String key, String kafkaDefault) {
        String value = kafka.properties().get(key);
        return value == null ? kafkaDefault + ", the default" : value;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.getMessage() : t.getMessage() + ": " + root.getMessage();
    }
}
