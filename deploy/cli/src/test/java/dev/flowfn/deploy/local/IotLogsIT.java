package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.cli.FlowfnCli;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The user story end to end: {@code flowfn local --mqtt} against a real Debian mosquitto,
 * {@code examples/iot-logs} deployed with {@code mqtt:topic=devices/+/logs,qos=1}, real {@code
 * mosquitto_pub} clients; readings counted on {@code iot.records} as a read_committed consumer sees
 * them, bad messages on {@code flowfn.dlq} with their reasons, and {@code flowfn tail}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IotLogsIT {

    private static final AvroCodec<DeadLetter> DLQ = AvroCodec.of(DeadLetter.class);

    /** Kept after the run (every engine's log): target/iot-logs-it-* . */
    static Path dir;

    static Mosquitto mosquitto;
    static LocalPlatform platform;
    static ControlClient client;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "iot-logs-it-");
        mosquitto = Mosquitto.start(dir.resolve("mosquitto"));
        platform =
                LocalPlatform.start(
                        LocalSettings.embedded(
                                        new DataDir(dir.resolve("flowfn")),
                                        Duration.ofMillis(500),
                                        2,
                                        Map.of())
                                .withExternalMqtt(mosquitto.url()),
                        new PrintWriter(System.out, true));
        client = TestPlatforms.client(platform, dir.resolve("flowfn"));
        FunctionView deployed =
                client.deploy(
                        DeploySpecs.of(
                                "name",
                                "parse-logs",
                                "handler",
                                "dev.flowfn.examples.iotlogs.ParseDeviceLog",
                                "retries",
                                0,
                                "triggers",
                                List.of("mqtt:topic=devices/+/logs,qos=1")),
                        "iot-logs.jar",
                        DeviceReadings.jar());
        assertThat(deployed.schemas())
                .as("the schema the jar ships, published for flowfn tail")
                .isEqualTo(List.of("dev.flowfn.examples.iotlogs.DeviceReading"));
        // the connector subscribes once it sees the deploy: probe until a reading comes out
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (readings(r -> r.get("device").toString().equals("probe"), 1, Duration.ofSeconds(3))
                .isEmpty()) {
            assertThat(System.nanoTime()).as("a probe reading within 90 s").isLessThan(deadline);
            mosquitto.publish("devices/probe/logs", 1, "probe=1");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    @Order(1)
    void hundredDevicesTimesHundredLinesBecomeExactlyTenThousandReadings() throws Exception {
        int devices = 100;
        int perDevice = 100;
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> pubs = new ArrayList<>();
        long start = System.nanoTime();
        for (int d = 0; d < devices; d++) {
            String device = "sensor-" + d;
            Path lines = dir.resolve(device + ".txt");
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < perDevice; i++) {
                // the three formats in turn
                text.append(
                        switch (i % 3) {
                            case 0 ->
                                    "2026-11-24T05:00:01Z WARN seq="
                                            + i
                                            + " temp=81.5 unit=C fw=1.4.2 msg=\"fan slow\"";
                            case 1 ->
                                    "{\"seq\":"
                                            + i
                                            + ",\"level\":\"info\",\"metrics\":{\"temp\":20.5}}";
                            default ->
                                    "<165>1 2026-11-24T05:00:01Z "
                                            + device
                                            + " fw - - [r@1 seq=\""
                                            + i
                                            + "\"] ok";
                        });
                text.append('\n');
            }
            Files.writeString(lines, text);
            pubs.add(
                    pool.submit(
                            () ->
                                    mosquitto
                                            .publishLines(
                                                    "devices/" + device + "/logs", 1, device, lines)
                                            .waitFor()));
        }
        for (Future<Integer> pub : pubs) {
            assertThat(pub.get(120, TimeUnit.SECONDS)).isZero();
        }
        pool.shutdown();
        List<GenericRecord> readings =
                readings(
                        r -> r.get("device").toString().startsWith("sensor-"),
                        devices * perDevice,
                        Duration.ofSeconds(120));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "mosquitto_pub -> MQTT connector -> job -> ParseDeviceLog -> iot.records: %d readings in %.1f s (%.0f/s)%n",
                readings.size(), seconds, readings.size() / seconds);
        assertThat(readings.size()).isEqualTo(devices * perDevice);
        Map<String, List<Integer>> byDevice = DeviceReadings.seqsByDevice(readings);
        List<Integer> all = IntStream.range(0, perDevice).boxed().toList();
        assertThat(byDevice).hasSize(devices);
        byDevice.forEach(
                (device, seqs) ->
                        assertThat(seqs).as(device).containsExactlyInAnyOrderElementsOf(all));
        readingsBySeq = byDevice;
    }

    static Map<String, List<Integer>> readingsBySeq;

    /** One device's readings in the order its lines were published. */
    @Test
    @Order(2)
    void eachDevicesReadingsAreInPublishOrder() {
        List<Integer> inOrder = IntStream.range(0, 100).boxed().toList();
        readingsBySeq.forEach((device, seqs) -> assertThat(seqs).as(device).isEqualTo(inOrder));
    }

    @Test
    @Order(3)
    void malformedNonUtf8AndHugeMessagesAreDeadLettersWithReasonsAndTheRestFlows()
            throws Exception {
        mosquitto.publish("devices/bad-1/logs", 1, "hello world");
        Path binary = dir.resolve("binary.bin");
        Files.write(binary, new byte[] {'t', '=', (byte) 0xff, (byte) 0xfe, 0});
        mosquitto.publishFile("devices/bad-2/logs", 1, binary);
        Path longLine = dir.resolve("long.txt");
        Files.writeString(longLine, "x=" + "9".repeat(100_000));
        mosquitto.publishFile("devices/bad-3/logs", 1, longLine);
        Path huge = dir.resolve("huge.bin");
        Files.write(huge, new byte[1024 * 1024]);
        mosquitto.publishFile("devices/bad-4/logs", 1, huge);
        mosquitto.publish("devices/good-1/logs", 1, "temp=1 msg=\"after the bad ones\"");

        assertThat(
                        readings(
                                r -> r.get("device").toString().equals("good-1"),
                                1,
                                Duration.ofSeconds(60)))
                .hasSize(1);
        List<DeadLetter> letters = new ArrayList<>();
        KafkaTopics.read(
                        platform.kafkaBootstrap(),
                        Topics.DLQ,
                        rs -> rs.size() >= 4,
                        Duration.ofSeconds(60))
                .forEach(r -> letters.add(DLQ.decode(r.value())));
        Map<String, String> reasonBySubject = new HashMap<>();
        letters.forEach(
                l ->
                        reasonBySubject.put(
                                l.getEvent() == null ? "?" : l.getEvent().getSubject(),
                                l.getReason()));
        assertThat(reasonBySubject.get("bad-1"))
                .contains("cannot parse device log line \"hello world\"", "is not key=value");
        assertThat(reasonBySubject.get("bad-2"))
                .contains("not UTF-8 text (invalid byte 0xFF at offset 2");
        assertThat(reasonBySubject.get("bad-3")).contains("over the 65536-character limit");
        assertThat(reasonBySubject.get("bad-4"))
                .contains("1048576 bytes", "exceeds mqtt.max.payload.bytes");
    }

    @Test
    @Order(4)
    void tailDecodesTheReadings() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                FlowfnCli.run(
                        new String[] {
                            "tail",
                            "iot.records",
                            "--kafka",
                            platform.kafkaBootstrap(),
                            "--from-beginning",
                            "--max",
                            "3" // no --schema: the deploy published the jar's
                        },
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"value\":{\"device\":", "\"format\":");

        StringWriter raw = new StringWriter();
        FlowfnCli.run(
                new String[] {
                    "tail",
                    "mqtt.raw",
                    "--kafka",
                    platform.kafkaBootstrap(),
                    "--from-beginning",
                    "--max",
                    "1"
                },
                new PrintWriter(raw, true),
                new PrintWriter(err, true));
        // the raw stream: the payload as is, as text
        assertThat(raw.toString())
                .containsPattern("\"key\":\"(probe|sensor-\\d+)\"")
                .containsPattern("\"value\":\"[^\"]*(probe=1|seq)");
    }

    static List<GenericRecord> readings(
            java.util.function.Predicate<GenericRecord> which, int count, Duration timeout) {
        return DeviceReadings.read(platform.kafkaBootstrap(), which, count, timeout);
    }
}
