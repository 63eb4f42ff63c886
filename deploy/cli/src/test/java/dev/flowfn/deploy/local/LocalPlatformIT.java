package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.client.ControlApiException;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.schemas.InvocationResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform as {@code flowfn local} runs it (Kafka and S3 in child JVMs, the job on a
 * MiniCluster, the control server), driven through the REST API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPlatformIT {

    static final int RECORDS = 10_000;

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;
    static byte[] helloJar;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatforms.start(dir, Map.of());
        client = TestPlatforms.client(platform, dir);
        Path jar = Path.of(Upper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(jar).as("the hello example is packaged before this IT").isRegularFile();
        helloJar = Files.readAllBytes(jar);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void refusesCallsWithoutTheToken() throws Exception {
        ControlClient stranger =
                new ControlClient(URI.create(platform.controlUrl()), "not-the-token");
        assertThatThrownBy(stranger::list)
                .isInstanceOf(ControlApiException.class)
                .hasMessageContaining("missing or wrong token");
        assertThat(Files.readString(dir.resolve("client.json"), StandardCharsets.UTF_8))
                .contains(platform.controlUrl());
    }

    @Test
    @Order(2)
    void deployThenInvoke() {
        long t0 = System.nanoTime();
        FunctionView deployed = client.deploy(helloSpec(), "hello.jar", helloJar);
        long t1 = System.nanoTime();
        assertThat(deployed.name()).isEqualTo("upper");
        assertThat(deployed.version()).isEqualTo(1);

        ResultView result =
                client.invoke(
                        "upper", "\"hello\"".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(result.success()).isTrue();
        assertThat(result.data()).isEqualTo("\"HELLO\"");
        long t2 = System.nanoTime();
        ResultView second =
                client.invoke(
                        "upper", "\"again\"".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(second.data()).isEqualTo("\"AGAIN\"");
        System.out.printf(
                "deploy %.0f ms, first invoke (cold: loads the jar) %.0f ms, deploy -> first result %.0f ms,"
                        + " warm invoke %.0f ms (checkpoint interval 500 ms)%n",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6, (System.nanoTime() - t2) / 1e6);
    }

    @Test
    @Order(3)
    void everyRecordOnTheTriggerTopicYieldsExactlyOneResultAcrossATaskManagerCrash()
            throws Exception {
        produce(0, RECORDS, 0, new AtomicInteger());
        assertExactlyOnce(RECORDS);

        AtomicInteger sent = new AtomicInteger();
        Thread producer = new Thread(() -> produce(RECORDS, RECORDS, 1, sent));
        producer.start();
        while (sent.get() < RECORDS / 3) {
            Thread.sleep(20);
        }
        platform.flink().crashTaskManager();
        producer.join();

        assertExactlyOnce(2 * RECORDS);
        assertThat(platform.flink().restarts(platform.job()))
                .as("the job restarted from a checkpoint")
                .isPositive();
    }

    @Test
    @Order(4)
    void listDescribeDelete() {
        assertThat(client.list()).extracting(f -> f.name()).containsExactly("upper");
        FunctionView described = client.describe("upper");
        assertThat(described.handler()).isEqualTo(Upper.class.getName());
        assertThat(described.triggers()).isEqualTo(List.of("kafka:topic=words"));
        client.delete("upper");
        assertThat(client.list()).isEmpty();
        assertThatThrownBy(() -> client.invoke("upper", new byte[0], "application/json"))
                .hasMessageContaining("no function named 'upper'");
    }

    /**
     * Local mode's own MQTT broker (Moquette), as a user meets it: {@code mosquitto_pub} to the URL
     * {@code flowfn local} prints, the iot-logs function parses, readings land on {@code
     * iot.records} in each device's order.
     */
    @Test
    @Order(5)
    void deviceMessagesToTheEmbeddedBrokerBecomeReadingsInOrder() throws Exception {
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "parse-logs",
                        "handler",
                        "dev.flowfn.examples.iotlogs.ParseDeviceLog",
                        "triggers",
                        List.of("mqtt:topic=devices/+/logs,qos=1")),
                "iot-logs.jar",
                DeviceReadings.jar());
        int port = URI.create(platform.mqttUrl()).getPort();
        // the connector subscribes once it has seen the deploy: probe until a reading comes
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (readingsOf("probe", 1, Duration.ofSeconds(3)).isEmpty()) {
            assertThat(System.nanoTime()).as("a probe reading within 90 s").isLessThan(deadline);
            Mosquitto.pub(port, List.of("-q", "1", "-t", "devices/probe/logs", "-m", "probe=1"));
        }
        int devices = 3;
        int perDevice = 20;
        for (int i = 0; i < perDevice; i++) {
            for (int d = 0; d < devices; d++) {
                Mosquitto.pub(
                        port,
                        List.of(
                                "-q",
                                "1",
                                "-i",
                                "emb-" + d,
                                "-t",
                                "devices/emb-" + d + "/logs",
                                "-m",
                                "seq=" + i + " level=INFO"));
            }
        }
        Map<String, List<Integer>> seqs =
                DeviceReadings.seqsByDevice(
                        readingsOf("emb-", devices * perDevice, Duration.ofSeconds(60)));
        List<Integer> inOrder = java.util.stream.IntStream.range(0, perDevice).boxed().toList();
        assertThat(seqs)
                .as("every message once, each device's in order")
                .containsOnlyKeys("emb-0", "emb-1", "emb-2")
                .allSatisfy((device, got) -> assertThat(got).as(device).isEqualTo(inOrder));
    }

    private static List<GenericRecord> readingsOf(String device, int count, Duration timeout) {
        return DeviceReadings.read(
                platform.kafkaBootstrap(),
                r -> r.get("device").toString().startsWith(device),
                count,
                timeout);
    }

    private static void assertExactlyOnce(int expected) {
        List<InvocationResult> results =
                ResultsReader.read(
                        platform.kafkaBootstrap(),
                        r -> r.getFunction().equals("upper") && r.getEventId().startsWith("words/"),
                        expected,
                        Duration.ofSeconds(120));
        Set<String> ids =
                results.stream().map(InvocationResult::getInvocationId).collect(Collectors.toSet());
        assertThat(ids).as("no duplicates").hasSameSizeAs(results);
        assertThat(results).as("one result per record").hasSize(expected);
        Set<String> outputs =
                results.stream()
                        .map(r -> StandardCharsets.UTF_8.decode(r.getData().duplicate()).toString())
                        .collect(Collectors.toSet());
        assertThat(outputs).hasSize(expected).allMatch(s -> s.startsWith("W-"));
    }

    private static void produce(int from, int count, long pauseMillis, AtomicInteger sent) {
        Properties p = new Properties();
        p.put("bootstrap.servers", platform.kafkaBootstrap());
        p.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(
                        new ProducerRecord<>(
                                "words",
                                ("k" + i % 31).getBytes(StandardCharsets.UTF_8),
                                ("w-" + i).getBytes(StandardCharsets.UTF_8)));
                sent.incrementAndGet();
                if (pauseMillis > 0 && i % 10 == 0) {
                    producer.flush();
                    Thread.sleep(pauseMillis * 10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static DeployRequest helloSpec() {
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
}
