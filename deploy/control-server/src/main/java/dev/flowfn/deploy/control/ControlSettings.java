package dev.flowfn.deploy.control;

import dev.flowfn.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * What the control server needs: where Kafka and the code store are, how to authenticate callers,
 * where to listen.
 */
public record ControlSettings(
        KafkaClientConfig kafka,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String codeBucket,
        String token,
        String host,
        int port,
        int gatewayPort,
        long maxBodyBytes,
        Duration resultSlack,
        String s3WebhookToken) {

    public static final String DEFAULT_CODE_BUCKET = "flowfn-code";

    /** Request body limit of the HTTP gateway (as Lambda's synchronous payload limit). */
    public static final long DEFAULT_MAX_BODY_BYTES = 6L * 1024 * 1024;

    /** Without a bucket-notification webhook token ({@code POST /hooks/s3} answers 503). */
    public ControlSettings(
            KafkaClientConfig kafka,
            String s3Endpoint,
            String s3AccessKey,
            String s3SecretKey,
            String codeBucket,
            String token,
            String host,
            int port,
            int gatewayPort,
            long maxBodyBytes,
            Duration resultSlack) {
        this(
                kafka,
                s3Endpoint,
                s3AccessKey,
                s3SecretKey,
                codeBucket,
                token,
                host,
                port,
                gatewayPort,
                maxBodyBytes,
                resultSlack,
                null);
    }

    public ControlSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() { // never the secret or the token (KafkaClientConfig redacts its own)
        return "ControlSettings{kafka="
                + kafka
                + ", s3="
                + s3Endpoint
                + ", bucket="
                + codeBucket
                + ", listen="
                + host
                + ":"
                + port
                + ", gateway="
                + gatewayPort
                + "}";
    }
}
