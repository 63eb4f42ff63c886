package dev.flowfn.deploy.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.cli.CliProcesses;
import dev.flowfn.deploy.cli.NumberedEvents;
import dev.flowfn.deploy.control.ControlServer;
import dev.flowfn.deploy.control.ControlSettings;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.local.DeploySpecs;
import dev.flowfn.deploy.local.engines.FlinkStandaloneCluster;
import dev.flowfn.deploy.local.engines.KafkaBrokerProcess;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.deploy.local.engines.S3StoreProcess;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code flowfn submit} and {@code flowfn scale} as a user runs them, each its own process, against
 * a real multi-process Flink cluster ({@link FlinkStandaloneCluster}, 4 slots) with Kafka and S3 in
 * child JVMs: the job is submitted with parallelism 2, a function with a Kafka-topic trigger is
 * deployed, and while a steady stream of numbered events flows the job is scaled to 4, then back to
 * 2. Every event's result must then be committed exactly once (read_committed), each new job must
 * run with the new parallelism from the savepoint the old one wrote, and neither the S3 secret nor
 * the Kafka SASL password may show in any output, log or the cluster's REST API.
 */
class ScaleCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private static final String TOPIC = "numbers";
    private static final String GROUP = "flowfn-scale-it";
    private static final int EVENTS_PER_SECOND = 150;
    private static final Pattern JOB_LINE = Pattern.compile("Flowfn job {4}([0-9a-f]{32})");
    private static final Pattern DOWNTIME = Pattern.compile("Downtime {6}([0-9.]+) s");

    /** Not a temp folder: the cluster's, the engines' and the CLI's logs stay for a look. */
    static final Path dir = Path.of("target", "scale-command-it").toAbsolutePath();

    static FlinkStandaloneCluster cluster;
    static KafkaBrokerProcess kafka;
    static S3StoreProcess s3;
    static ControlServer control;
    static final S3Credentials S3_KEYS = S3Credentials.random();

    /** In the Kafka client configuration; PLAINTEXT clients leave SASL settings unused. */
    static final String KAFKA_PASSWORD = "kafka-pw-" + UUID.randomUUID();

    static Path kafkaConfig;
    static final List<String> printed = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir.resolve("logs"));
        long t = System.nanoTime();
        CompletableFuture<FlinkStandaloneCluster> flink =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                // a job option from the cluster's own configuration, as an
                                // operator sets it: the job reads it beside its arguments
                                return FlinkStandaloneCluster.start(
                                        dir.resolve("cluster"),
                                        4,
                                        Map.of("flowfn.kafka.consumer-group", GROUP));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        CompletableFuture<S3StoreProcess> store =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return S3StoreProcess.start(
                                        dir.resolve("s3"), S3_KEYS, dir.resolve("logs/s3.log"));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        try {
            kafka = KafkaBrokerProcess.start(dir.resolve("kafka"), dir.resolve("logs/kafka.log"));
            warmUpCoordinators();
        } finally {
            s3 = store.join();
            cluster = flink.join();
        }
        kafkaConfig =
                Files.writeString(
                        dir.resolve("kafka.properties"),
                        "bootstrap.servers="
                                + kafka.bootstrapServers()
                                + "\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                                + " required username=\"flowfn\" password=\""
                                + KAFKA_PASSWORD
                                + "\";\n");
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", (Object) kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        System.out.printf(
                "Flink cluster, Kafka and S3 up in %.1f s%n", (System.nanoTime() - t) / 1e9);
    }

    /**
     * Makes the broker create its transaction and consumer offsets topics (50 partitions each)
     * while the Flink cluster starts: the job's first start would wait for them (25 s here).
     */
    private static void warmUpCoordinators() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scale-it-warm-up");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "scale-it-warm-up");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.committed(Set.of(new TopicPartition("warm-up", 0)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (control != null) {
            control.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void scalesUpAndDownWhileEventsFlowWithEveryResultCommittedOnce() throws Exception {
        long testStart = System.nanoTime();
        Run submit =
                flowfn(
                        "submit",
                        "--flink",
                        cluster.restUrl(),
                        "--parallelism",
                        "2",
                        "--kafka-config",
                        kafkaConfig.toString(),
                        "--s3-endpoint",
                        s3.endpoint(),
                        "--flink-savepoint-dir",
                        dir.resolve("savepoints").toUri().toString(),
                        "--checkpoint-interval",
                        "500ms");
        assertThat(submit.exit).as(submit.output).isZero();
        String firstJob = jobId(submit);
        assertThat(submit.output).contains("Flink web UI  " + cluster.restUrl() + "/#/job/");
        assertVertices(firstJob, 2);

        startControlServer();
        ControlClient client = new ControlClient(URI.create(control.url()), "it-token");
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "upper",
                        "handler",
                        Upper.class.getName(),
                        "runtime",
                        "java-embedded",
                        "timeout",
                        "10s",
                        "triggers",
                        List.of("kafka:topic=" + TOPIC)),
                "hello.jar",
                Files.readAllBytes(
                        Path.of(
                                Upper.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())));
        awaitFunctionLive();

        int produced;
        try (NumberedEvents events =
                NumberedEvents.start(kafka.bootstrapServers(), TOPIC, EVENTS_PER_SECOND)) {
            Run second =
                    flowfn(
                            "submit",
                            "--flink",
                            cluster.restUrl(),
                            "--kafka",
                            kafka.bootstrapServers(),
                            "--s3-endpoint",
                            s3.endpoint(),
                            "--flink-savepoint-dir",
                            dir.resolve("savepoints").toUri().toString());
            assertThat(second.exit).as(second.output).isEqualTo(1);
            assertThat(second.output)
                    .contains("a Flowfn job already runs on")
                    .contains("job " + firstJob)
                    .contains("flowfn scale --flink");

            Run noKafkaConfig = flowfn("scale", "--flink", cluster.restUrl(), "--parallelism", "4");
            assertThat(noKafkaConfig.exit).as(noKafkaConfig.output).isEqualTo(2);
            assertThat(noKafkaConfig.output)
                    .contains("[sasl.jaas.config]")
                    .contains("--kafka-config FILE again")
                    .contains("nothing was changed");
            assertThat(runningJobs()).as("the job was left alone").containsExactly(firstJob);

            String up = scale(firstJob, 4, events);
            String down = scale(up, 2, events);
            assertThat(runningJobs()).containsExactly(down);
            events.close();
            produced = events.acknowledged();
            assertThat(events.failure()).as("producer errors").isNull();
        }

        assertThat(produced).as("events produced while scaling").isGreaterThan(1_000);
        Map<String, Integer> results = readResults(produced, Duration.ofSeconds(90));
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (int i = 0; i < produced; i++) {
            String expected = NumberedEvents.upperCased(i);
            int count = results.getOrDefault(expected, 0);
            if (count == 0) {
                missing.add(expected);
            } else if (count > 1) {
                duplicated.add(expected + " x" + count);
            }
        }
        assertThat(missing).as("events without a committed result").isEmpty();
        assertThat(duplicated).as("events with more than one committed result").isEmpty();
        assertThat(results).as("no result for an event never sent").hasSize(produced);
        System.out.printf(
                "%d events, each committed once, through 2 rescales; the test took %.1f s%n",
                produced, (System.nanoTime() - testStart) / 1e9);

        assertNoSecretAnywhere(List.of(firstJob));
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", (Object) kafka.bootstrapServers()))) {
            assertThat(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get())
                    .as("the job's sources commit as the cluster configuration's consumer group")
                    .containsKey(new TopicPartition(TOPIC, 0));
        }
    }

    /** Runs {@code flowfn scale} while events flow; returns the new job's id. */
    private static String scale(String from, int parallelism, NumberedEvents events)
            throws Exception {
        int before = events.acknowledged();
        Run run =
                flowfn(
                        "scale",
                        "--flink",
                        cluster.restUrl(),
                        "--parallelism",
                        Integer.toString(parallelism),
                        "--kafka-config",
                        kafkaConfig.toString());
        assertThat(run.exit).as(run.output).isZero();
        String job = jobId(run);
        assertThat(job).isNotEqualTo(from);
        assertThat(run.output)
                .contains("Found Flowfn job " + from)
                .contains("Stopping job " + from + " with a savepoint")
                .contains(
                        "Submitting the same jar from the savepoint with parallelism "
                                + parallelism);
        Matcher downtime = DOWNTIME.matcher(run.output);
        assertThat(downtime.find()).as("the downtime is printed: %s", run.output).isTrue();
        double seconds = Double.parseDouble(downtime.group(1));
        assertThat(seconds).isPositive();

        assertThat(jobState(from)).isEqualTo("FINISHED");
        assertVertices(job, parallelism);
        JsonNode restored = get("/jobs/" + job + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean())
                .as("restored from the savepoint: %s", restored)
                .isTrue();
        assertThat(run.output).contains("Savepoint     " + restored.path("external_path").asText());
        assertThat(events.acknowledged())
                .as("events kept flowing during the rescale")
                .isGreaterThan(before);
        System.out.printf(
                "scaled %s -> %s to parallelism %d: downtime %.1f s, %d events produced meanwhile%n",
                from, job, parallelism, seconds, events.acknowledged() - before);
        return job;
    }

    /** The function group and the sink chained to it run with {@code parallelism}. */
    private static void assertVertices(String job, int parallelism) throws Exception {
        JsonNode details = get("/jobs/" + job);
        assertThat(details.path("state").asText()).isEqualTo("RUNNING");
        List<Integer> group = new ArrayList<>();
        int widest = 0;
        for (JsonNode v : details.path("vertices")) {
            widest = Math.max(widest, v.path("parallelism").asInt());
            if (v.path("name").asText().contains("function group")) {
                group.add(v.path("parallelism").asInt());
            }
            assertThat(v.path("status").asText()).isEqualTo("RUNNING");
        }
        assertThat(group).as("vertices of job %s", job).containsExactly(parallelism);
        assertThat(widest).isEqualTo(parallelism);
    }

    /**
     * The S3 secret and the Kafka SASL password appear in no command output, no log (the CLI's, the
     * cluster's) and nothing the cluster's REST API serves about any of the jobs.
     */
    private static void assertNoSecretAnywhere(List<String> moreJobs) throws Exception {
        List<String> secrets = List.of(S3_KEYS.secretKey(), KAFKA_PASSWORD);
        for (String line : printed) {
            assertThat(line).doesNotContain(secrets);
        }
        List<String> jobs = new ArrayList<>(moreJobs);
        get("/jobs").path("jobs").forEach(j -> jobs.add(j.path("id").asText()));
        for (String job : jobs) {
            for (String path :
                    List.of("", "/config", "/jobmanager/config", "/plan", "/exceptions")) {
                assertThat(get("/jobs/" + job + path).toString())
                        .as("GET /jobs/%s%s", job, path)
                        .doesNotContain(secrets);
            }
        }
        assertThat(get("/jobmanager/config").toString()).doesNotContain(secrets);
        for (Path log : List.of(cluster.logs(), dir.resolve("logs"))) {
            try (var files = Files.list(log)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f)).as("%s", f).doesNotContain(secrets);
                }
            }
        }
    }

    private static void startControlServer() throws Exception {
        control =
                ControlServer.start(
                        ControlSettings.builder(
                                        KafkaClientConfig.of(kafka.bootstrapServers()),
                                        s3.endpoint(),
                                        "it-token")
                                .setS3Credentials(S3_KEYS.accessKey(), S3_KEYS.secretKey())
                                .setPort(0)
                                .setGatewayPort(0)
                                .build());
    }

    /**
     * Sends probes until one comes back as a result: the job then knows the function and reads the
     * topic, so no numbered event is dropped for want of either.
     */
    private static void awaitFunctionLive() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaProducer<String, String> producer =
                NumberedEvents.producer(kafka.bootstrapServers())) {
            for (int i = 0; System.nanoTime() < deadline; i++) {
                String probe = "probe-" + i;
                producer.send(new ProducerRecord<>(TOPIC, probe, probe)).get();
                if (readResults(0, Duration.ofSeconds(3)).containsKey(probe.toUpperCase())) {
                    return;
                }
            }
        }
        throw new AssertionError("the function never answered a probe\n" + cluster.logTails(40));
    }

    /**
     * Upper-cased event values to how many committed results each has, read from the beginning of
     * flowfn.results as a read_committed consumer until {@code expected} numbered ones came (then 3
     * s more, so a late duplicate shows) or {@code timeout} passed.
     */
    private static Map<String, Integer> readResults(int expected, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Integer> numbered = new HashMap<>();
        Map<String, Integer> all = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.RESULTS).stream()
                            .map(i -> new TopicPartition(Topics.RESULTS, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(
                                r -> {
                                    InvocationResult result = RESULTS.decode(r.value());
                                    if (!result.getFunction().equals("upper")) {
                                        return;
                                    }
                                    assertThat(result.getSuccess())
                                            .as("result %s", result)
                                            .isTrue();
                                    String value =
                                            StandardCharsets.UTF_8
                                                    .decode(result.getData())
                                                    .toString();
                                    all.merge(value, 1, Integer::sum);
                                    if (value.startsWith("E-")) {
                                        numbered.merge(value, 1, Integer::sum);
                                    }
                                });
                if (expected > 0 && numbered.size() >= expected && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
                if (expected == 0 && !all.isEmpty() && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime();
                }
            }
        }
        return expected == 0 ? all : numbered;
    }

    private static String jobId(Run run) {
        Matcher m = JOB_LINE.matcher(run.output);
        assertThat(m.find()).as("a job id is printed: %s", run.output).isTrue();
        return m.group(1);
    }

    private static List<String> runningJobs() throws Exception {
        List<String> running = new ArrayList<>();
        get("/jobs/overview")
                .path("jobs")
                .forEach(
                        j -> {
                            if (j.path("state").asText().equals("RUNNING")) {
                                running.add(j.path("jid").asText());
                            }
                        });
        return running;
    }

    private static String jobState(String job) throws Exception {
        return get("/jobs/" + job).path("state").asText();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(cluster.restUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private record Run(int exit, String output) {}

    /** {@code flowfn ARGS} as its own process, with the S3 keys in its environment. */
    private static Run flowfn(String... args) throws Exception {
        ProcessBuilder pb = CliProcesses.flowfn("512m", args).redirectErrorStream(true);
        // a short-lived command: the quick compiler and the simplest collector spare the 2 cores
        pb.command().addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        pb.environment().put("FLOWFN_S3_ACCESS_KEY", S3_KEYS.accessKey());
        pb.environment().put("FLOWFN_S3_SECRET_KEY", S3_KEYS.secretKey());
        pb.environment().put("FLOWFN_DATA_DIR", dir.toString());
        long t = System.nanoTime();
        Process process = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = CliProcesses.follow(process, lines, "[flowfn " + args[0] + "] ");
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("flowfn " + String.join(" ", args) + " did not end");
        }
        reader.join(5_000);
        printed.addAll(lines);
        System.out.printf(
                "flowfn %s: exit %d in %.1f s%n",
                args[0], process.exitValue(), (System.nanoTime() - t) / 1e9);
        return new Run(process.exitValue(), String.join("\n", lines));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
