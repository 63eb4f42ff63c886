package dev.flowfn.deploy.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.local.ClientConfigFile;
import dev.flowfn.deploy.local.DataDir;
import dev.flowfn.deploy.local.DeploySpecs;
import dev.flowfn.deploy.local.LocalPlatform;
import dev.flowfn.deploy.local.LocalSettings;
import dev.flowfn.deploy.local.engines.EngineClasspath;
import dev.flowfn.deploy.local.engines.FlinkStandaloneCluster;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.examples.hello.Upper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code flowfn local --flink URL}: the platform (Kafka and S3 in child JVMs, the control server in
 * this JVM) with the job on a real multi-process Flink cluster ({@link FlinkStandaloneCluster}),
 * stopped with a savepoint and started again from it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalFlinkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Not a temp folder: the cluster's and the platform's logs stay for a look after a failure. */
    static final Path dir = Path.of("target", "external-flink-it").toAbsolutePath();

    static FlinkStandaloneCluster cluster;
    static LocalPlatform platform;
    static String firstJob;
    static String savepoint;
    static String restoredJob;
    static final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeAll
    static void startCluster() throws Exception {
        deleteRecursively(dir);
        long t = System.nanoTime();
        cluster = FlinkStandaloneCluster.start(dir.resolve("cluster"), 4);
        System.out.printf(
                "Flink cluster (JobManager + TaskManager JVMs) up in %.1f s at %s%n",
                (System.nanoTime() - t) / 1e9, cluster.restUrl());
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void runsTheJobOnTheClusterAndStopsItWithASavepoint() throws Exception {
        platform = startPlatform();
        RemoteFlinkJob remote = platform.remoteJob();
        firstJob = remote.jobId();
        assertThat(remote.startedFrom()).isEqualTo("fresh state");
        assertThat(jobsOnCluster())
                .as("the job runs on the external cluster")
                .containsEntry(firstJob, "RUNNING");
        JsonNode vertices = get("/jobs/" + firstJob).path("vertices");
        assertThat(
                        StreamSupport.stream(vertices.spliterator(), false)
                                .mapToInt(v -> v.path("parallelism").asInt())
                                .max())
                .as("--parallelism reaches the job as a program argument")
                .hasValue(2);

        ControlClient client = client();
        assertThat(client.deploy(helloSpec(), "hello.jar", helloJar()).version()).isEqualTo(1);
        ResultView hello =
                client.invoke(
                        "upper", "\"hello\"".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(hello.success()).isTrue();
        assertThat(hello.data()).isEqualTo("\"HELLO\"");

        long t = System.nanoTime();
        platform.close();
        platform = null;
        System.out.printf(
                "stop with savepoint and shutdown: %.1f s%n", (System.nanoTime() - t) / 1e9);

        assertThat(jobsOnCluster()).containsEntry(firstJob, "FINISHED");
        Properties record = new Properties();
        try (var reader =
                Files.newBufferedReader(dir.resolve("data/flink/remote-job.properties"))) {
            record.load(reader);
        }
        savepoint = record.getProperty("savepoint");
        assertThat(savepoint).as("the savepoint is recorded").isNotBlank();
        assertThat(local(savepoint).resolve("_metadata"))
                .as("written into the data folder by the cluster")
                .isRegularFile()
                .startsWith(dir.resolve("data/flink/savepoints"));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("job stopped with savepoint " + savepoint);
    }

    @Test
    @Order(2)
    void startsAgainFromTheSavepointAndTakesOverARunningJob() throws Exception {
        assertThat(savepoint).as("the first run completed").isNotNull();
        platform = startPlatform();
        RemoteFlinkJob remote = platform.remoteJob();
        restoredJob = remote.jobId();
        assertThat(remote.jobId()).isNotEqualTo(firstJob);
        assertThat(remote.startedFrom()).startsWith("restored from ");
        assertThat(local(remote.startedFrom().substring("restored from ".length())))
                .isEqualTo(local(savepoint));
        JsonNode restored =
                get("/jobs/" + remote.jobId() + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean())
                .as("the cluster restored a savepoint: %s", restored)
                .isTrue();
        assertThat(local(restored.path("external_path").asText())).isEqualTo(local(savepoint));

        ControlClient client = client();
        assertThat(client.list()).extracting(f -> f.name()).containsExactly("upper");
        ResultView upperAgain =
                client.invoke(
                        "upper", "\"again\"".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(upperAgain.success()).isTrue();
        assertThat(upperAgain.data()).isEqualTo("\"AGAIN\"");

        String secret = s3Secret();
        for (String config : List.of("/config", "/jobmanager/config")) {
            assertThat(get("/jobs/" + remote.jobId() + config).toString())
                    .as("Flink's REST API masks the S3 secret")
                    .doesNotContain(secret);
        }

        // a launcher killed with its job still running: the next start takes the job over
        RemoteFlinkJob again =
                RemoteFlinkJob.start(
                        new RemoteFlinkJob.Settings(
                                URI.create(cluster.restUrl()),
                                RemoteFlinkJob.findJobJar(EngineClasspath.locate().home()),
                                dir.resolve("data/flink/savepoints").toUri().toString(),
                                dir.resolve("data/flink/remote-job.properties"),
                                Duration.ofSeconds(60)),
                        ProgramArgs.of(Map.of()),
                        java.util.Optional.empty());
        assertThat(again.jobId()).isEqualTo(remote.jobId());
        assertThat(again.startedFrom()).startsWith("took over job " + remote.jobId());
        assertThat(jobsOnCluster().values()).as("no second job").containsOnlyOnce("RUNNING");

        platform.close();
        platform = null;
        assertThat(jobsOnCluster()).containsEntry(remote.jobId(), "FINISHED");
    }

    @Test
    @Order(3)
    void neverPrintsOrLogsTheS3Secret() throws IOException {
        String secret = s3Secret();
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
        try (var logs = Files.list(dir.resolve("data/logs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as("%s", log).doesNotContain(secret);
            }
        }
        for (String log : List.of("jobmanager.log", "taskmanager.log")) {
            assertThat(Files.readString(cluster.logs().resolve(log)))
                    .as(log)
                    .doesNotContain(secret);
        }
    }

    /**
     * The TaskManager JVMs have no {@code org.apache.avro.SERIALIZABLE_PACKAGES}: the job must
     * trust its Avro classes itself, also while restoring its registry (broadcast) state, before
     * any of its functions has run.
     */
    @Test
    @Order(4)
    void restoresItsStateOnTheClusterWithoutAFailure() throws Exception {
        assertThat(restoredJob).as("the second run started").isNotNull();
        assertThat(new FlinkRestClient(URI.create(cluster.restUrl())).lastFailure(restoredJob))
                .as(
                        "failures of the restored job %s (see %s)",
                        restoredJob, cluster.logs().resolve("jobmanager.log"))
                .isEmpty();
    }

    private static LocalPlatform startPlatform() throws Exception {
        PrintStream out =
                new PrintStream(new Tee(System.out, printed), true, StandardCharsets.UTF_8);
        long t = System.nanoTime();
        LocalPlatform started =
                LocalPlatform.start(
                        LocalSettings.embedded(
                                        new DataDir(dir.resolve("data")),
                                        Duration.ofMillis(500),
                                        2,
                                        Map.of())
                                .withFlink(cluster.restUrl(), null),
                        new PrintWriter(out, true));
        System.out.printf(
                "platform with the job on the external cluster up in %.1f s%n",
                (System.nanoTime() - t) / 1e9);
        return started;
    }

    private static String s3Secret() throws IOException {
        return S3Credentials.loadOrCreate(dir.resolve("data/s3-credentials.properties"))
                .secretKey();
    }

    /** The folder of a {@code file:} snapshot URI, whichever way Flink or we spelled it. */
    private static Path local(String uri) {
        return Path.of(URI.create(uri)).normalize();
    }

    private static ControlClient client() throws IOException {
        return new ControlClient(
                URI.create(platform.controlUrl()),
                ClientConfigFile.read(dir.resolve("data/client.json")).token());
    }

    /** Job id to state, of every job the cluster knows. */
    private static Map<String, String> jobsOnCluster() throws Exception {
        Map<String, String> jobs = new java.util.HashMap<>();
        get("/jobs")
                .path("jobs")
                .forEach(j -> jobs.put(j.path("id").asText(), j.path("status").asText()));
        return jobs;
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(cluster.restUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static byte[] helloJar() throws Exception {
        return Files.readAllBytes(
                Path.of(Upper.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    private static DeployRequest helloSpec() {
        return DeploySpecs.of(
                "name",
                "upper",
                "handler",
                Upper.class.getName(),
                "memoryMb",
                256,
                "timeout",
                "5s",
                "triggers",
                List.of("kafka:topic=words"));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Writes to two streams: the test's output, and a copy the test reads. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
