package dev.flowfn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaClientFailureTest {

    private final KafkaClientConfig sasl =
            KafkaClientConfig.fromProperties(
                    Map.of(
                            "bootstrap.servers", "broker:9093",
                            "security.protocol", "SASL_SSL",
                            "sasl.mechanism", "SCRAM-SHA-512",
                            "sasl.jaas.config",
                                    "org.apache.kafka.common.security.scram.ScramLoginModule"
                                            + " required username=\"u\" password=\"s3cr3t\";"));

    @Test
    void aRefusedLoginNamesTheBrokerAndTheJaasConfigNeverItsValue() {
        Exception failure =
                new IllegalStateException(
                        "following flowfn.functions stopped",
                        new ExecutionException(
                                new SaslAuthenticationException(
                                        "Authentication failed during authentication due to"
                                                + " invalid credentials with SASL mechanism"
                                                + " SCRAM-SHA-512")));

        assertThat(KafkaClientFailure.explain(failure, sasl))
                .hasValueSatisfying(
                        m ->
                                assertThat(m)
                                        .startsWith("Kafka at broker:9093 refused the login")
                                        .contains("invalid credentials")
                                        .contains(
                                                "check the user name and password in sasl.jaas.config")
                                        .contains("sasl.mechanism (SCRAM-SHA-512)")
                                        .doesNotContain("s3cr3t"));
    }

    @Test
    void aFailedHandshakeNamesTheTrustAndKeyStores() {
        SslAuthenticationException failure =
                new SslAuthenticationException(
                        "SSL handshake failed",
                        new SSLHandshakeException("PKIX path building failed"));

        assertThat(KafkaClientFailure.explain(failure, sasl))
                .hasValueSatisfying(
                        m ->
                                assertThat(m)
                                        .contains("TLS handshake with Kafka at broker:9093 failed")
                                        .contains("PKIX path building failed")
                                        .contains("ssl.truststore.*"));
    }

    @Test
    void aMissingAclSaysTheUserNeedsAccess() {
        assertThat(
                        KafkaClientFailure.explain(
                                new TopicAuthorizationException("Not authorized: flowfn.results"),
                                sasl))
                .hasValueSatisfying(m -> assertThat(m).contains("denied").contains("ACLs"));
    }

    @Test
    void noAnswerNamesTheSecurityProtocolItTried() {
        assertThat(
                        KafkaClientFailure.describe(
                                new TimeoutException(
                                        "Timeout expired while fetching topic metadata"),
                                KafkaClientConfig.of("broker:9093"),
                                Duration.ofSeconds(15)))
                .startsWith("no answer from Kafka at broker:9093 within 15 s")
                .contains("PLAINTEXT, the default")
                .contains("check security.protocol");
        assertThat(KafkaClientFailure.explain(new TimeoutException("t"), sasl)).isEmpty();
    }

    @Test
    void anyOtherFailureKeepsItsMessage() {
        assertThat(
                        KafkaClientFailure.describe(
                                new IllegalStateException("boom"), sasl, Duration.ofSeconds(1)))
                .isEqualTo("boom");
    }
}
