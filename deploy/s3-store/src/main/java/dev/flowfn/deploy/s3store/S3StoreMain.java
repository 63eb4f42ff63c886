package dev.flowfn.deploy.s3store;

import dev.flowfn.deploy.s3store.notify.NotificationQueue;
import dev.flowfn.deploy.s3store.notify.NotifyingBlobStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * The local object store: S3Proxy with its filesystem backend ({@code basedir/bucket/key}), serving
 * the S3 API on {@code http://127.0.0.1:PORT} with AWS V2/V4 authentication.
 *
 * <p>Usage: {@code S3StoreMain --basedir=DIR --port=PORT}; each option falls back to the
 * environment variable {@code FLOWFN_S3_BASEDIR} / {@code FLOWFN_S3_PORT}. The access key and
 * secret come only from {@code FLOWFN_S3_ACCESS_KEY} / {@code FLOWFN_S3_SECRET_KEY}: never from the
 * command line (visible to every user in {@code ps}) and never logged.
 *
 * <p>Once the server accepts requests, the main thread prints one line {@code READY <endpoint>} on
 * stdout, which the launcher waits for. SIGTERM runs the shutdown hook, which stops the server
 * (Jetty finishes requests in flight) and lets the JVM exit.
 *
 * <p>Bucket notifications: with {@code FLOWFN_S3_WEBHOOK_URL} set, every put, completed multipart
 * upload, copy and delete is POSTed there as MinIO's webhook target would (MinIO JSON, {@code
 * Authorization: Bearer $FLOWFN_S3_WEBHOOK_TOKEN}), through a durable queue in {@code --queue-dir}
 * (default {@code <basedir>/../notify-queue}) so nothing is lost while the receiver is down. {@code
 * --notify-skip-buckets=a,b} names buckets that do not notify.
 */
public final class S3StoreMain {

    static final String ACCESS_KEY_ENV = "FLOWFN_S3_ACCESS_KEY";
    static final String SECRET_KEY_ENV = "FLOWFN_S3_SECRET_KEY";
    static final String WEBHOOK_URL_ENV = "FLOWFN_S3_WEBHOOK_URL";
    static final String WEBHOOK_TOKEN_ENV = "FLOWFN_S3_WEBHOOK_TOKEN";
    static final String HELP =
            """
            Usage: S3StoreMain --basedir=DIR --port=PORT [--queue-dir=DIR] [--notify-skip-buckets=B,...]
            The local S3 object store (S3Proxy, filesystem backend) of 'flowfn local'.
              --basedir=DIR   objects live in DIR/<bucket>/<key>   (or $FLOWFN_S3_BASEDIR)
              --port=PORT     listens on 127.0.0.1:PORT             (or $FLOWFN_S3_PORT)
              --queue-dir=DIR notifications waiting for the webhook (default: DIR/../notify-queue)
              --notify-skip-buckets=B,...  buckets whose changes are not notified
            Environment (never on the command line):
              FLOWFN_S3_ACCESS_KEY, FLOWFN_S3_SECRET_KEY   the S3 credentials (required)
              FLOWFN_S3_WEBHOOK_URL     POST MinIO-format bucket notifications here (optional)
              FLOWFN_S3_WEBHOOK_TOKEN   sent as 'Authorization: Bearer <token>' (optional)
            """;

    private S3StoreMain() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(HELP);
            return;
        }
        Path basedir = Path.of(option(args, "basedir", "FLOWFN_S3_BASEDIR"));
        int port = Integer.parseInt(option(args, "port", "FLOWFN_S3_PORT"));
        String accessKey = requiredEnv(ACCESS_KEY_ENV);
        String secretKey = requiredEnv(SECRET_KEY_ENV);
        Files.createDirectories(basedir);

        Properties backend = new Properties();
        backend.setProperty("jclouds.filesystem.basedir", basedir.toAbsolutePath().toString());
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        BlobStore store = BlobStores.create("filesystem", backend);
        NotificationQueue notifications = null;
        String webhook = System.getenv(WEBHOOK_URL_ENV);
        if (webhook != null && !webhook.isBlank()) {
            Path queueDir =
                    Path.of(
                            optional(
                                    args,
                                    "queue-dir",
                                    basedir.toAbsolutePath()
                                            .getParent()
                                            .resolve("notify-queue")
                                            .toString()));
            notifications =
                    new NotificationQueue(
                                    queueDir,
                                    URI.create(webhook.trim()),
                                    System.getenv(WEBHOOK_TOKEN_ENV))
                            .start();
            Set<String> skip =
                    Set.of(optional(args, "notify-skip-buckets", "").split(",")).stream()
                            .map(String::trim)
                            .filter(b -> !b.isEmpty())
                            .collect(java.util.stream.Collectors.toUnmodifiableSet());
            store = new NotifyingBlobStore(store, notifications, endpoint.toString(), skip);
            System.out.println(
                    "bucket notifications go to "
                            + webhook.trim()
                            + " (queue "
                            + queueDir
                            + ", "
                            + notifications.pending()
                            + " waiting)");
        }
        NotificationQueue queue = notifications;
        S3Proxy proxy =
                S3Proxy.builder()
                        .blobStore(store)
                        .endpoint(endpoint)
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                        .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stop(proxy, stopped);
                                    if (queue != null) {
                                        queue.close();
                                    }
                                },
                                "s3-store-stop"));
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState())) {
                throw new IllegalStateException("S3Proxy failed to start on " + endpoint);
            }
            Thread.sleep(5);
        }
        System.out.println("READY " + endpoint);
        System.out.flush();
        stopped.await();
    }

    /** Called on the shutdown-hook thread (SIGTERM, SIGINT or normal exit). */
    private static void stop(S3Proxy proxy, CountDownLatch stopped) {
        try {
            proxy.stop();
        } catch (Exception e) {
            System.err.println("S3Proxy did not stop cleanly: " + e);
        } finally {
            stopped.countDown();
        }
    }

    private static String option(String[] args, String name, String env) {
        String prefix = "--" + name + "=";
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "missing " + prefix + "VALUE argument or " + env + " environment variable");
        }
        return value;
    }

    private static String optional(String[] args, String name, String fallback) {
        String prefix = "--" + name + "=";
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return fallback;
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "environment variable %s must be set (credentials are never taken from arguments)"
                            .formatted(name));
        }
        return value;
    }
}
