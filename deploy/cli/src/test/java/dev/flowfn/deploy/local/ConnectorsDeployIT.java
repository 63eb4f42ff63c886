package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.cli.FlowfnCli;
import dev.flowfn.deploy.connect.ConnectRestClient;
import dev.flowfn.deploy.local.engines.ConnectCluster;
import dev.flowfn.deploy.local.engines.KafkaBrokerProcess;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.TriggerSpecs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code flowfn connectors deploy} against a real distributed Kafka Connect cluster of two workers:
 * the timer connector is created through the REST API, fires a tick per second for a function
 * deployed on the registry topic, keeps firing after the worker running its task is killed with
 * {@code kill -9}, and a second deploy updates it in place.
 */
class ConnectorsDeployIT {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);
    private static final String FUNCTION = "every-second";

    static Path dir;
    static KafkaBrokerProcess kafka;
    static ConnectCluster connect;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "connectors-it-");
        kafka = KafkaBrokerProcess.start(dir.resolve("kafka"), dir.resolve("kafka.log"));
        TopicSetup.ensure(KafkaClientConfig.of(kafka.bootstrapServers()));
        connect =
                new ConnectCluster(
                        dir.resolve("connect"),
                        dir.resolve("logs"),
                        kafka.bootstrapServers(),
                        "it",
                        1);
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
    }

    @Test
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
