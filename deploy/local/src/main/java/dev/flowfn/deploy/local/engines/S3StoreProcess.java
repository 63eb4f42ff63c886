package dev.flowfn.deploy.local.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The local S3-compatible object store: S3Proxy with its filesystem backend, run in its own JVM
 * from the {@code s3-store} engine class path ({@code dev.flowfn.deploy.s3store.S3StoreMain}).
 *
 * <p>Data folder layout: {@code ports.properties} (the S3 port, chosen on the first start), {@code
 * data/} (one folder per bucket, one file per object) and, with {@link Notifications}, {@code
 * notify-queue/} (bucket notifications not yet delivered to the webhook; {@code rejected/} holds
 * those the receiver refused as malformed). The credentials reach the child through its environment
 * only, never its command line.
 *
 * <p>Threads: {@link #start} blocks the calling thread until the store prints {@code READY}; the
 * other methods may be called from any thread.
 */
public final class S3StoreProcess implements AutoCloseable {

    public static final String ENGINE = "s3-store";
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    // these three must match dev.flowfn.deploy.s3store.S3StoreMain
    private static final String MAIN_CLASS = "dev.flowfn.deploy.s3store.S3StoreMain";
    private static final String ACCESS_KEY_ENV = "FLOWFN_S3_ACCESS_KEY";
    private static final String SECRET_KEY_ENV = "FLOWFN_S3_SECRET_KEY";
    private static final String WEBHOOK_URL_ENV = "FLOWFN_S3_WEBHOOK_URL";
    private static final String WEBHOOK_TOKEN_ENV = "FLOWFN_S3_WEBHOOK_TOKEN";
    private static final String[] JVM_OPTIONS = {
        "-Xmx256m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"
    };

    private final ChildJvm jvm;
    private final String endpoint;

    private S3StoreProcess(ChildJvm jvm, String endpoint) {
        this.jvm = jvm;
        this.endpoint = endpoint;
    }

    /** Starts the store on {@code dir} (created if needed) and waits until it serves. */
    public static S3StoreProcess start(Path dir, S3Credentials credentials, Path logFile)
            throws IOException, InterruptedException {
        return start(dir, credentials, logFile, null);
    }

    /**
     * Where the store POSTs its bucket notifications (MinIO's webhook format) and the token it
     * sends; they wait in {@code dir/notify-queue} while the receiver is down.
     */
    public record Notifications(
            String webhookUrl, String token, java.util.Set<String> skipBuckets) {
        @Override
        public String toString() {
            return "Notifications[" + webhookUrl + ", skip " + skipBuckets + "]"; // never the token
        }
    }

    /**
     * Starts the store on {@code dir} (created if needed), with bucket notifications when {@code
     * notifications} is not null, and waits until it serves.
     */
    public static S3StoreProcess start(
            Path dir, S3Credentials credentials, Path logFile, Notifications notifications)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        PersistedPorts ports = PersistedPorts.loadOrAllocate(dir.resolve("ports.properties"), "s3");
        ports = ports.requireFree("S3 store");
        String endpoint = "http://127.0.0.1:" + ports.get("s3");
        ChildJvm.Builder builder =
                ChildJvm.builder(ENGINE, MAIN_CLASS)
                        .classpath(EngineClasspath.locate().classpath(ENGINE))
                        .jvmOptions(JVM_OPTIONS)
                        .env(ACCESS_KEY_ENV, credentials.accessKey())
                        .env(SECRET_KEY_ENV, credentials.secretKey())
                        .logFile(logFile);
        if (notifications == null) {
            builder.args(
                    "--basedir=" + dir.resolve("data").toAbsolutePath(),
                    "--port=" + ports.get("s3"));
        } else {
            builder.args(
                            "--basedir=" + dir.resolve("data").toAbsolutePath(),
                            "--port=" + ports.get("s3"),
                            "--queue-dir=" + dir.resolve("notify-queue").toAbsolutePath(),
                            "--notify-skip-buckets="
                                    + String.join(",", notifications.skipBuckets()))
                    .env(WEBHOOK_URL_ENV, notifications.webhookUrl())
                    .env(WEBHOOK_TOKEN_ENV, notifications.token());
        }
        ChildJvm jvm = builder.start();
        try {
            awaitReady(jvm, endpoint);
            return new S3StoreProcess(jvm, endpoint);
        } catch (RuntimeException | InterruptedException e) {
            jvm.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}: path-style S3 endpoint. */
    public String endpoint() {
        return endpoint;
    }

    /** The store's process, for a supervisor. */
    public ChildJvm process() {
        return jvm;
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    public Path logFile() {
        return jvm.logFile();
    }

    /** Graceful stop; killed after {@link ChildJvm#STOP_TIMEOUT}. */
    @Override
    public void close() {
        jvm.close();
    }

    /**
     * Polls this run's output for the {@code READY <endpoint>} line the store prints once it
     * serves.
     */
    private static void awaitReady(ChildJvm jvm, String endpoint) throws InterruptedException {
        String ready = "READY " + endpoint;
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!jvm.output(1024 * 1024).lines().anyMatch(ready::equals)) {
            if (!jvm.isAlive()) {
                throw failure(
                        jvm, "exited during startup (exit code " + jvm.exitCode().orElse(-1) + ")");
            }
            if (System.nanoTime() > deadline) {
                throw failure(
                        jvm,
                        "did not print '" + ready + "' within " + READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    private static IllegalStateException failure(ChildJvm jvm, String what) {
        return new IllegalStateException(
                "S3 store %s; last lines of %s:%n%s"
                        .formatted(what, jvm.logFile(), jvm.outputTail(30)));
    }
}
