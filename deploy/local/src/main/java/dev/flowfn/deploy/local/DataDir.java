package dev.flowfn.deploy.local;

import java.nio.file.Path;

/**
 * Where {@code flowfn local} keeps its state: one folder, so a restart continues where it stopped.
 */
public record DataDir(Path root) {

    public static final String ENV = "FLOWFN_DATA_DIR";

    /** {@code --data-dir}, else {@code $FLOWFN_DATA_DIR}, else {@code ~/.flowfn}. */
    public static DataDir resolve(Path option) {
        if (option != null) {
            return new DataDir(option.toAbsolutePath());
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new DataDir(Path.of(env).toAbsolutePath());
        }
        return new DataDir(Path.of(System.getProperty("user.home"), ".flowfn"));
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path s3() {
        return root.resolve("s3");
    }

    public Path s3Credentials() {
        return root.resolve("s3-credentials.properties");
    }

    /** The bucket-notification webhook's shared secret (mode 600), see {@link WebhookToken}. */
    public Path s3WebhookToken() {
        return root.resolve("s3-webhook-token");
    }

    /** The embedded MQTT broker's port and persistent sessions. */
    public Path mqtt() {
        return root.resolve("mqtt");
    }

    /** The Kafka Connect worker's port, configs and source offsets. */
    public Path connect() {
        return root.resolve("connect");
    }

    public Path checkpoints() {
        return root.resolve("flink").resolve("checkpoints");
    }

    public Path savepoints() {
        return root.resolve("flink").resolve("savepoints");
    }

    public Path codeCache() {
        return root.resolve("flink").resolve("code-cache");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path ports() {
        return root.resolve("ports.properties");
    }

    /** Server URL and token for the CLI (mode 600). */
    public Path clientConfig() {
        return root.resolve("client.json");
    }
}
