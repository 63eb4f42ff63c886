package dev.flowfn.deploy.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.cli.CliProcesses;
import dev.flowfn.deploy.cli.NumberedEvents;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.local.DeploySpecs;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.MeterWindow;
import dev.flowfn.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code flowfn topology ARGS} as its own process, as {@code scripts/topology} runs it, and what
 * the topology tests do with it: read {@code topology.properties}, deploy the upper-casing example
 * through a control server, send probes, read committed results and ask Flink's REST API.
 */
final class RunningTopology implements AutoCloseable {

    static final String TOPIC = "numbers";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private static final AvroCodec<MeterWindow> WINDOWS = AvroCodec.of(MeterWindow.class);
    private static final Pattern SCHEDULED = Pattern.compile("\"SCHEDULEDTIME\":\"([^\"]+)\"");

    final Path dir;
    final List<String> printed = new CopyOnWriteArrayList<>();
    private final Process process;
    final String bootstrap;
    final String token;

    private RunningTopology(Path dir, Process process) throws Exception {
        this.dir = dir;
        this.process = process;
        CliProcesses.follow(process, printed, "[topology] ");
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        while (printed.stream().noneMatch(l -> l.startsWith("Running;"))) {
            assertThat(process.isAlive())
                    .as("flowfn topology exited:\n%s", String.join("\n", printed))
                    .isTrue();
            assertThat(System.nanoTime()).as("topology ready in time").isLessThan(deadline);
            Thread.sleep(500);
        }
        bootstrap = property("kafka.bootstrap");
        token = Files.readString(Path.of(property("token.file"))).strip();
    }

    /**
     * Starts {@code flowfn topology --dir DIR ARGS} in a fresh {@code dir}, waits until it runs and
     * creates the trigger topic {@value #TOPIC} (4 partitions, replicated as the topology's
     * topics).
     */
    static RunningTopology start(Path dir, String... args) throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of("topology", "--dir", dir.toString()));
        command.addAll(List.of(args));
        command.addAll(
                List.of(
                        "--flink-conf",
                        "flowfn.metering.window=5s",
                        "--flink-conf",
                        "flowfn.metering.allowed-lateness=10s"));
        Process process =
                CliProcesses.flowfn("256m", command.toArray(String[]::new))
                        .redirectErrorStream(true)
                        .start();
        RunningTopology topology = new RunningTopology(dir, process);
        short replicas = Short.parseShort(topology.property("kafka.replication"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", (Object) topology.bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 4, replicas)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        return topology;
    }

    /** A value of {@code topology.properties} as it is now (process ids change on restarts). */
    String property(String key) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(Topology.PROPERTIES))) {
            p.load(r);
        }
        return p.getProperty(key);
    }

    List<String> list(String key) throws IOException {
        return List.of(property(key).split(","));
    }

    /** The upper-casing example on control server {@code server} (0-based). */
    ControlClient client(int server) throws IOException {
        return new ControlClient(URI.create(list("server.urls").get(server)), token);
    }

    /** Deploys the upper-casing example as {@code name} with {@code trigger}. */
    void deployUpper(ControlClient client, String name, String trigger) throws Exception {
        byte[] jar =
                Files.readAllBytes(
                        Path.of(
                                Upper.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI()));
        DeployRequest spec =
                DeploySpecs.of(
                        "name",
                        name,
                        "handler",
                        Upper.class.getName(),
                        "runtime",
                        "java-embedded",
                        "timeout",
                        "10s",
                        "triggers",
                        List.of(trigger));
        client.deploy(spec, "hello.jar", jar);
    }

    /**
     * Sends probes to {@value #TOPIC} until one comes back from {@code upper}; returns how many
     * were sent (each gets a result).
     */
    int awaitUpperLive() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        try (KafkaProducer<String, String> producer = NumberedEvents.producer(bootstrap)) {
            for (int i = 0; System.nanoTime() < deadline; i++) {
                String probe = "probe-" + i;
                producer.send(new ProducerRecord<>(TOPIC, probe, probe)).get();
                Thread.sleep(2_000);
                if (committedResults().upper().containsKey(probe.toUpperCase())) {
                    return i + 1;
                }
            }
        }
        throw new AssertionError("upper never answered a probe\n" + String.join("\n", printed));
    }

    /** Waits until {@code count} distinct results of upper are committed (3 min at most). */
    Results awaitResults(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            Results r = committedResults();
            if (r.upper().size() >= count) {
                return r;
            }
            assertThat(System.nanoTime())
                    .as("%d results of upper committed (have %d)", count, r.upper().size())
                    .isLessThan(deadline);
            Thread.sleep(1_000);
        }
    }

    /** Committed results: upper's values and the ticks' scheduled instants, with counts. */
    record Results(Map<String, Integer> upper, TreeMap<Instant, Integer> ticks) {

        /** The numbered events 0..produced-1 with no result, and those with more than one. */
        List<String> missingOrDuplicated(int produced) {
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < produced; i++) {
                int count = upper.getOrDefault(NumberedEvents.upperCased(i), 0);
                if (count != 1) {
                    wrong.add(NumberedEvents.upperCased(i) + " x" + count);
                }
            }
            return wrong;
        }

        /**
         * Seconds between the first and the last tick committed with no tick, or with more than one
         * (cron every second, catch-up on).
         */
        List<String> ticksMissingOrRepeated() {
            List<String> wrong = new ArrayList<>();
            assertThat(ticks).as("ticks committed").isNotEmpty();
            for (Instant t = ticks.firstKey(); !t.isAfter(ticks.lastKey()); t = t.plusSeconds(1)) {
                int count = ticks.getOrDefault(t, 0);
                if (count != 1) {
                    wrong.add(t + " x" + count);
                }
            }
            return wrong;
        }
    }

    Results committedResults() {
        Map<String, Integer> upper = new HashMap<>();
        TreeMap<Instant, Integer> ticks = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readCommitted(Topics.RESULTS)) {
            InvocationResult result = RESULTS.decode(r.value());
            String value = StandardCharsets.UTF_8.decode(result.getData()).toString();
            assertThat(result.getSuccess()).as("result %s", result).isTrue();
            if (result.getFunction().equals("upper")) {
                upper.merge(value, 1, Integer::sum);
            } else if (result.getFunction().equals("ticks")) {
                Matcher m = SCHEDULED.matcher(value);
                assertThat(m.find()).as("a tick's result: %s", value).isTrue();
                ticks.merge(Instant.parse(m.group(1)), 1, Integer::sum);
            }
        }
        return new Results(upper, ticks);
    }

    /** Every committed record of {@code topic}, read from the beginning to its end. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Invocations of {@code function} in the metering windows (latest revision of each, plus late
     * records), once they reach {@code expected} (then 5 s more, so an overcount shows) or 2
     * minutes passed.
     */
    long awaitMetered(String function, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long metered = 0;
        while (System.nanoTime() < deadline) {
            metered = metered(function);
            if (metered >= expected) {
                Thread.sleep(5_000);
                return metered(function);
            }
            Thread.sleep(2_000);
        }
        return metered;
    }

    private long metered(String function) {
        Map<String, MeterWindow> latest = new HashMap<>();
        long late = 0;
        for (ConsumerRecord<byte[], byte[]> r : readCommitted(Topics.METERING)) {
            MeterWindow w = WINDOWS.decode(r.value());
            if (!w.getFunction().equals(function)) {
                continue;
            }
            if (w.getLate()) {
                late += w.getInvocations();
            } else {
                latest.merge(
                        w.getVersion() + "@" + w.getWindowStart(),
                        w,
                        (a, b) -> b.getRevision() > a.getRevision() ? b : a);
            }
        }
        return late + latest.values().stream().mapToLong(MeterWindow::getInvocations).sum();
    }

    /** A transaction the brokers hold open: its id, producer epoch, start and partitions. */
    record OpenTransaction(String id, int epoch, long startMillis, Set<TopicPartition> partitions) {
        @Override
        public String toString() {
            return String.format(
                    "%s (epoch %d, open %.1f s, %s)",
                    id, epoch, (System.currentTimeMillis() - startMillis) / 1000.0, partitions);
        }
    }

    /**
     * The transactions the brokers hold open now. One left open by a stopped job holds back every
     * {@code read_committed} reader of its partitions until it times out.
     */
    List<OpenTransaction> openTransactions() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", (Object) bootstrap))) {
            List<String> ids =
                    admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                            .filter(t -> t.state() == TransactionState.ONGOING)
                            .map(TransactionListing::transactionalId)
                            .toList();
            List<OpenTransaction> open = new ArrayList<>();
            admin.describeTransactions(ids)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach(
                            (id, d) ->
                                    open.add(
                                            new OpenTransaction(
                                                    id,
                                                    d.producerEpoch(),
                                                    d.transactionStartTimeMs()
                                                            .orElse(System.currentTimeMillis()),
                                                    d.topicPartitions())));
            return open;
        }
    }

    /** GET {@code path} of the Flink REST API, as JSON. */
    JsonNode flink(String path) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(property("flink.rest") + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The one running job on the Flink cluster, waiting up to 2 minutes for it. */
    String runningJob() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            List<String> running = new ArrayList<>();
            flink("/jobs/overview")
                    .path("jobs")
                    .forEach(
                            j -> {
                                if (j.path("state").asText().equals("RUNNING")) {
                                    running.add(j.path("jid").asText());
                                }
                            });
            if (running.size() == 1) {
                return running.get(0);
            }
            assertThat(System.nanoTime()).as("one running job: %s", running).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** The function group vertex of {@code job}. */
    JsonNode functionGroup(String job) throws Exception {
        for (JsonNode vertex : flink("/jobs/" + job).path("vertices")) {
            if (vertex.path("name").asText().contains("function group")) {
                return vertex;
            }
        }
        throw new AssertionError("no function group vertex in job " + job);
    }

    /**
     * Stops the topology (SIGTERM: it stops every process it started), and makes sure none of them
     * outlives it: the next test may want their ports.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
                try {
                    child.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException
                        | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("process " + child.pid() + " did not stop", e);
                }
            }
        }
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
