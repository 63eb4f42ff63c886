package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.cli.CliProcesses;
import dev.flowfn.deploy.cli.FlowfnCli;
import dev.flowfn.deploy.connect.ConnectRestClient;
import dev.flowfn.deploy.local.engines.ConnectCluster;
import dev.flowfn.deploy.local.engines.KafkaBrokerProcess;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.deploy.local.engines.S3StoreProcess;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.TriggerSpecs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code flowfn connectors deploy} against a real distributed Kafka Connect cluster of two workers:
 * the timer connector is created through the REST API, fires a tick per second for a function
 * deployed on the registry topic, keeps firing after the worker running its task is killed with
 * {@code kill -9}, and a second deploy updates it in place.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectorsDeployIT {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);
    private static final String FUNCTION = "every-second";

    static Path dir;
    static KafkaBrokerProcess kafka;
    static ConnectCluster connect;
    static S3StoreProcess s3;
    static final S3Credentials S3_KEYS = S3Credentials.random();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "connectors-it-");
        kafka = KafkaBrokerProcess.start(dir.resolve("kafka"), dir.resolve("kafka.log"));
        TopicSetup.ensure(KafkaClientConfig.of(kafka.bootstrapServers()));
        s3 = S3StoreProcess.start(dir.resolve("s3"), S3_KEYS, dir.resolve("logs/s3.log"));
        // the S3 sources' config names the secret key as ${env:...}: the workers hold it
        connect =
                new ConnectCluster(
                        dir.resolve("connect"),
                        dir.resolve("logs"),
                        kafka.bootstrapServers(),
                        "it",
                        1,
                        Map.of("FLOWFN_S3_SECRET_KEY", S3_KEYS.secretKey()));
        connect.addWorker();
        connect.addWorker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1) // the first deploy on the cluster: it creates the timer connector
    void deploysTheTimerOnTheClusterWhichKeepsTickingWhenAWorkerIsKilled() throws Exception {
        String url = connect.workers().get(0).restUrl();
        Run first =
                flowfn(
                        "connectors",
                        "deploy",
                        "--connect",
                        url,
                        "--kafka",
                        kafka.bootstrapServers());
        assertThat(first.code).as(first.err).isZero();
        assertThat(first.err).contains("Created flowfn-timer").doesNotContain("flowfn-mqtt");
        assertThat(first.out).contains("flowfn-timer RUNNING on 127.0.0.1:");

        KafkaTopics.deploy(
                kafka.bootstrapServers(),
                FUNCTION,
                List.of(TriggerSpecs.parse("cron:expr=*/1 * * * * ?,catchup=all")));
        Set<Instant> before = tickInstants(3, Duration.ofSeconds(30));
        assertThat(before)
                .as("ticks from the cluster\n" + connect.logTails())
                .hasSizeGreaterThanOrEqualTo(3);

        ConnectRestClient client = new ConnectRestClient(URI.create(url));
        String running = client.status("flowfn-timer").workerId();
        ConnectCluster.Worker victim =
                connect.workers().stream()
                        .filter(w -> w.id().equals(running))
                        .findFirst()
                        .orElseThrow();
        ConnectCluster.Worker survivor =
                connect.workers().stream().filter(w -> w != victim).findFirst().orElseThrow();
        victim.jvm().kill();
        Instant killedAt = Instant.now();

        Set<Instant> after = tickInstants(before.size() + 40, Duration.ofSeconds(60));
        Set<Instant> later = new TreeSet<>(after);
        later.removeIf(t -> !t.isAfter(killedAt.plusSeconds(2)));
        assertThat(later)
                .as("ticks after the kill, from the other worker\n" + connect.logTails())
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(
                        new ConnectRestClient(URI.create(survivor.restUrl()))
                                .status("flowfn-timer")
                                .workerId())
                .isEqualTo(survivor.id());
        // catchup=all: no instant between the first tick and the last is missing
        Instant firstTick = after.iterator().next();
        Instant lastTick = ((TreeSet<Instant>) after).last();
        long expected = Duration.between(firstTick, lastTick).toSeconds() + 1;
        assertThat(after)
                .as("one tick per second, none lost across the kill")
                .hasSize((int) expected);

        Run again =
                flowfn(
                        "connectors",
                        "deploy",
                        "--connect",
                        survivor.restUrl(),
                        "--kafka",
                        kafka.bootstrapServers());
        assertThat(again.code).as(again.err).isZero();
        assertThat(again.err).contains("Updated flowfn-timer");
    }

    @Test
    @Order(2)
    void deploysAnS3PollSourceWhoseSecretStaysOnTheWorkers() throws Exception {
        AwsCli aws =
                new AwsCli(
                        s3.endpoint(),
                        S3_KEYS.accessKey(),
                        S3_KEYS.secretKey(),
                        Files.createDirectories(dir.resolve("aws-home")));
        aws.s3("mb", "s3://photos");
        String url =
                connect.workers().stream()
                        .filter(w -> w.jvm().isAlive())
                        .findFirst()
                        .orElseThrow()
                        .restUrl();
        ProcessBuilder pb =
                CliProcesses.flowfn(
                                "256m",
                                "connectors",
                                "deploy",
                                "--connect",
                                url,
                                "--kafka",
                                kafka.bootstrapServers(),
                                "--s3-endpoint",
                                s3.endpoint(),
                                "--s3-poll",
                                "photos/in")
                        .redirectErrorStream(true);
        pb.environment().put("FLOWFN_S3_ACCESS_KEY", S3_KEYS.accessKey());
        pb.environment().remove("FLOWFN_S3_SECRET_KEY");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).contains("flowfn-s3-poll-photos-in RUNNING on 127.0.0.1:");

        String config =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        url
                                                                + "/connectors/flowfn-s3-poll-photos-in/config"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        assertThat(config)
                .contains("${env:FLOWFN_S3_SECRET_KEY}")
                .doesNotContain(S3_KEYS.secretKey());

        Path photo = Files.writeString(dir.resolve("cat.txt"), "not really a cat");
        aws.s3("cp", photo.toString(), "s3://photos/in/cat.txt");
        List<ConsumerRecord<byte[], byte[]>> events =
                KafkaTopics.read(
                        kafka.bootstrapServers(),
                        Topics.EVENTS,
                        read -> read.stream().anyMatch(ConnectorsDeployIT::isCatUpload),
                        Duration.ofSeconds(60));
        assertThat(events)
                .as("the upload as an event on %s\n%s", Topics.EVENTS, connect.logTails())
                .anyMatch(ConnectorsDeployIT::isCatUpload);
    }

    private static boolean isCatUpload(ConsumerRecord<byte[], byte[]> r) {
        Event e = EVENTS.decode(r.value());
        return e.getType().startsWith("s3:ObjectCreated:")
                && String.valueOf(e.getSubject()).endsWith("in/cat.txt");
    }

    @Test
    void saysWhatToDoWhenNoConnectAnswers() {
        Run run =
                flowfn(
                        "connectors",
                        "deploy",
                        "--connect",
                        "http://127.0.0.1:9",
                        "--kafka",
                        kafka.bootstrapServers());
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err)
                .contains(
                        "cannot reach Kafka Connect at http://127.0.0.1:9/",
                        "like http://connect:8083");
    }

    @Test
    void refusesABadMqttUrlBeforeTouchingTheCluster() {
        Run run =
                flowfn(
                        "connectors",
                        "deploy",
                        "--connect",
                        "http://127.0.0.1:9",
                        "--kafka",
                        kafka.bootstrapServers(),
                        "--mqtt",
                        "mqtt.example.com");
        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("--mqtt must be tcp://HOST:PORT or ssl://HOST:PORT");
    }

    /** The distinct scheduled instants of the function's ticks on flowfn.events. */
    private static Set<Instant> tickInstants(int atLeast, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTopics.read(
                        kafka.bootstrapServers(),
                        Topics.EVENTS,
                        read -> instants(read).size() >= atLeast,
                        timeout);
        return instants(records);
    }

    private static Set<Instant> instants(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(r -> EVENTS.decode(r.value()))
                .filter(e -> FUNCTION.equals(e.getSubject()))
                .map(Event::getTime)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private record Run(int code, String out, String err) {}

    private static Run flowfn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowfnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
