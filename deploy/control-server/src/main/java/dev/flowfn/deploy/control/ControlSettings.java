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

    /** Where both servers listen unless told otherwise: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * How much longer than a function's own run time a synchronous invoke waits for its committed
     * result: a few checkpoint intervals of the job (3 x the interval + 10 s is right).
     */
    public static final Duration DEFAULT_RESULT_SLACK = Duration.ofSeconds(15);

    public ControlSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(codeBucket, "codeBucket");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(resultSlack, "resultSlack");
        checkPort("port", port);
        checkPort("gatewayPort", gatewayPort);
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException(
                    "maxBodyBytes must be positive (got " + maxBodyBytes + ")");
        }
        if (resultSlack.isNegative()) {
            throw new IllegalArgumentException("resultSlack must not be negative");
        }
    }

    /**
     * Settings with the defaults ({@link #DEFAULT_CODE_BUCKET}, {@link #DEFAULT_HOST}, any free
     * ports, {@link #DEFAULT_MAX_BODY_BYTES}, {@link #DEFAULT_RESULT_SLACK}, no webhook token) for
     * what is not set.
     */
    public static Builder builder(KafkaClientConfig kafka, String s3Endpoint, String token) {
        return new Builder(kafka, s3Endpoint, token);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    name + " must be 0 (any free port) to 65535 (got " + port + ")");
        }
    }

    /** Builds {@link ControlSettings}; validation happens in {@link #build()}. */
    public static final class Builder {
        private final KafkaClientConfig kafka;
        private final String s3Endpoint;
        private final String token;
        private String s3AccessKey;
        private String s3SecretKey;
        private String codeBucket = DEFAULT_CODE_BUCKET;
        private String host = DEFAULT_HOST;
        private int port;
        private int gatewayPort;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration resultSlack = DEFAULT_RESULT_SLACK;
        private String s3WebhookToken;

        private Builder(KafkaClientConfig kafka, String s3Endpoint, String token) {
            this.kafka = kafka;
            this.s3Endpoint = s3Endpoint;
            this.token = token;
        }

        public Builder setS3Credentials(String accessKey, String secretKey) {
            this.s3AccessKey = accessKey;
            this.s3SecretKey = secretKey;
            return this;
        }

        public Builder setCodeBucket(String codeBucket) {
            this.codeBucket = codeBucket;
            return this;
        }

        public Builder setHost(String host) {
            this.host = host;
            return this;
        }

        /** The REST API's port; 0 (the default) takes any free port. */
        public Builder setPort(int port) {
            this.port = port;
            return this;
        }

        /** The HTTP trigger gateway's port; 0 (the default) takes any free port. */
        public Builder setGatewayPort(int gatewayPort) {
            this.gatewayPort = gatewayPort;
            return this;
        }

        public Builder setMaxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder setResultSlack(Duration resultSlack) {
            this.resultSlack = resultSlack;
            return this;
        }

        /** Without one, {@code POST /hooks/s3} answers 503. */
        public Builder setS3WebhookToken(String s3WebhookToken) {
            this.s3WebhookToken = s3WebhookToken;
            return this;
        }

        /**
         * @throws NullPointerException naming a missing required value
         * @throws IllegalArgumentException naming a value out of range
         */
        public ControlSettings build() {
            return new ControlSettings(
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
                    s3WebhookToken);
        }
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
