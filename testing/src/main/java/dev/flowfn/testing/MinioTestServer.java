package dev.flowfn.testing;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real MinIO server (the binary {@code scripts/install-minio} builds) as a child process on
 * 127.0.0.1, with a temporary data folder and a free port; {@link #close()} stops it and deletes
 * the folder.
 *
 * <p>The binary is {@code $FLOWFN_MINIO_BIN}, else the one {@code scripts/install-minio} caches for
 * its pinned version. When there is none, {@link #start} skips the calling test (a JUnit
 * assumption) unless {@code FLOWFN_REQUIRE_MINIO} is set (CI sets it): then it fails, naming the
 * script to run.
 *
 * <p>Extra server environment (e.g. {@code MINIO_NOTIFY_KAFKA_*} notification targets) goes through
 * {@link Builder#env}.
 */
public final class MinioTestServer implements AutoCloseable {

    public static final String ACCESS_KEY = "flowfn-minio-test";
    public static final String SECRET_KEY = "flowfn-minio-test-secret";
    public static final String REQUIRE_ENV = "FLOWFN_REQUIRE_MINIO";
    public static final String BIN_ENV = "FLOWFN_MINIO_BIN";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final MinioClient client;

    private MinioTestServer(Process process, Path dataDir, Path log, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
        this.client =
                MinioClient.builder()
                        .endpoint(endpoint())
                        .credentials(ACCESS_KEY, SECRET_KEY)
                        .build();
    }

    /** Starts a plain server; skips the test when there is no binary (see the class doc). */
    public static MinioTestServer start() throws Exception {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures environment variables of the server process before it starts. */
    public static final class Builder {
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder() {}

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public MinioTestServer start() throws Exception {
            Path binary = binaryOrSkip();
            Path dataDir = Files.createTempDirectory("flowfn-minio-");
            Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
            int port = freePort();
            ProcessBuilder pb =
                    new ProcessBuilder(
                                    binary.toString(),
                                    "server",
                                    "--quiet",
                                    "--address",
                                    "127.0.0.1:" + port,
                                    dataDir.resolve("data").toString())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            Map<String, String> e = pb.environment();
            e.put("MINIO_ROOT_USER", ACCESS_KEY);
            e.put("MINIO_ROOT_PASSWORD", SECRET_KEY);
            e.put("MINIO_BROWSER", "off");
            e.put("MINIO_UPDATE", "off");
            e.put("HOME", dataDir.toString()); // its ~/.minio (certs) stays in the temp folder
            e.putAll(env);
            Process process = pb.start();
            MinioTestServer server = new MinioTestServer(process, dataDir, log, port);
            try {
                server.awaitReady();
            } catch (Exception | Error failure) {
                server.close();
                throw failure;
            }
            return server;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public MinioClient client() {
        return client;
    }

    /** What the server printed so far (for assertion messages). */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public void makeBucket(String bucket) throws Exception {
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    public void put(String bucket, String key, byte[] bytes) throws Exception {
        client.putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                        .contentType("application/octet-stream")
                        .build());
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        URI ready = URI.create(endpoint() + "/minio/health/ready");
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "MinIO exited with code "
                                + process.exitValue()
                                + " at start:\n"
                                + logText());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) ready.toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(1000);
                int code = c.getResponseCode();
                c.disconnect();
                if (code == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "MinIO not ready within " + READY_TIMEOUT + ":\n" + logText());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        deleteTree(dataDir);
        Files.deleteIfExists(log);
    }

    /**
     * Skips (or, with FLOWFN_REQUIRE_MINIO, fails) the calling test at once when there is no
     * binary: call it before starting anything slower than MinIO.
     */
    public static void assumeAvailable() {
        binaryOrSkip();
    }

    /** The MinIO binary, or a skipped (or, with FLOWFN_REQUIRE_MINIO, failed) test. */
    static Path binaryOrSkip() {
        Optional<Path> binary = findBinary();
        if (binary.isPresent()) {
            return binary.get();
        }
        String why =
                "no MinIO binary: run scripts/install-minio (builds it with Go, a few minutes the"
                        + " first time) or set "
                        + BIN_ENV
                        + " to a minio server binary";
        String require = System.getenv(REQUIRE_ENV);
        if (require != null && !require.isBlank() && !require.equals("0")) {
            throw new IllegalStateException(why + " (" + REQUIRE_ENV + " is set, so not skipped)");
        }
        Assumptions.assumeTrue(
                false, why + "; skipped (set " + REQUIRE_ENV + "=1 to fail instead)");
        throw new AssertionError("unreachable");
    }

    /** $FLOWFN_MINIO_BIN, else the cache entry of the version pinned in scripts/install-minio. */
    public static Optional<Path> findBinary() {
        String explicit = System.getenv(BIN_ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(
                        BIN_ENV + "=" + explicit + " is not an executable file");
            }
            return Optional.of(p);
        }
        Optional<String> version = pinnedVersion();
        if (version.isEmpty()) {
            return Optional.empty();
        }
        Path p = cacheRoot().resolve("minio").resolve(version.get()).resolve("minio");
        return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    private static Path cacheRoot() {
        String flowfn = System.getenv("FLOWFN_CACHE");
        if (flowfn != null && !flowfn.isBlank()) {
            return Paths.get(flowfn);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base =
                xdg != null && !xdg.isBlank()
                        ? Paths.get(xdg)
                        : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("flowfn");
    }

    /** MINIO_VERSION="..." from scripts/install-minio of the enclosing checkout. */
    static Optional<String> pinnedVersion() {
        Pattern line = Pattern.compile("^MINIO_VERSION=\"([^\"]+)\"", Pattern.MULTILINE);
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("scripts").resolve("install-minio");
            if (Files.isRegularFile(script)) {
                try {
                    Matcher m = line.matcher(Files.readString(script, StandardCharsets.UTF_8));
                    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
