package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.local.engines.ConnectWorkerProcess;
import dev.flowfn.deploy.local.engines.KafkaBrokerProcess;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The MQTT source connector in the real Connect worker (child JVM) against a real Debian mosquitto,
 * fed by real {@code mosquitto_pub} processes, writing to a real Kafka broker (child JVM). Counts
 * what lands on {@code flowfn.events} and {@code mqtt.raw}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttConnectorIT {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);
    private static final AvroCodec<DeadLetter> DLQ = AvroCodec.of(DeadLetter.class);
    private static final Pattern SEQ = Pattern.compile("seq=(\\d+)");

    /** Kept after the run (logs of every engine): target/mqtt-it-* . */
    static Path dir;

    static KafkaBrokerProcess kafka;
    static Mosquitto mosquitto;
    static ConnectWorkerProcess worker;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "mqtt-it-");
        kafka = KafkaBrokerProcess.start(dir.resolve("kafka"), dir.resolve("kafka.log"));
        TopicSetup.ensure(KafkaClientConfig.of(kafka.bootstrapServers()));
        mosquitto = Mosquitto.start(dir.resolve("mosquitto"), true);
        KafkaTopics.deploy(
                kafka.bootstrapServers(),
                "parse-logs",
                List.of(KafkaTopics.mqtt("devices/+/logs", 1)));
        KafkaTopics.deploy(
                kafka.bootstrapServers(), "exact", List.of(KafkaTopics.mqtt("exact/+/logs", 2)));
        worker = startWorker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The connector's window: messages received and not yet acknowledged. */
    static final int WINDOW = 500;

    static final String PASSWORD_ENV = "FLOWFN_IT_MQTT_PASSWORD";

    /**
     * The local MQTT connector (follows the deployed triggers), and two that subscribe to fixed
     * filters only: MQTT 5 on the plain listener, and MQTT 3.1.1 over TLS with a password.
     */
    static ConnectWorkerProcess startWorker() throws Exception {
        Path connect = dir.resolve("connect");
        ConnectWorkerProcess.Connector local =
                LocalConnectors.mqtt(
                        KafkaClientConfig.of(kafka.bootstrapServers()),
                        mosquitto.url(),
                        connect.resolve("mqtt-state"),
                        Map.of());
        Map<String, String> config = new HashMap<>(local.config());
        config.put("mqtt.queue.capacity", Integer.toString(WINDOW));

        Map<String, String> v5 = new HashMap<>(config);
        v5.put("mqtt.client.id", "flowfn-it-v5");
        v5.put("mqtt.version", "5");
        v5.put("mqtt.topics", "v5/+/logs");
        v5.put("mqtt.topics.qos", "2");
        v5.put("flowfn.bootstrap.servers", "");
        v5.put("mqtt.raw.topic", "");

        TlsListener tls = mosquitto.tls();
        Map<String, String> secure = new HashMap<>(v5);
        secure.put("mqtt.client.id", "flowfn-it-tls");
        secure.put("mqtt.version", "3.1.1");
        secure.put("mqtt.server.uri", tls.url());
        secure.put("mqtt.topics", "tls/+/logs");
        secure.put("mqtt.username", tls.user());
        secure.put("mqtt.password", "${env:" + PASSWORD_ENV + "}");
        secure.put("mqtt.tls.truststore.path", tls.truststore().toString());
        secure.put("mqtt.tls.truststore.password", tls.truststorePassword());
        return ConnectWorkerProcess.start(
                connect,
                KafkaClientConfig.of(kafka.bootstrapServers()),
                List.of(
                        new ConnectWorkerProcess.Connector(local.name(), config),
                        new ConnectWorkerProcess.Connector("it-mqtt5", v5),
                        new ConnectWorkerProcess.Connector("it-mqtt-tls", secure)),
                Map.of(PASSWORD_ENV, tls.password()),
                dir.resolve("connect.log"));
    }

    @Test
    @Order(1)
    void hundredDevicesTimesHundredMessagesArriveOnceEachInDeviceOrder() throws Exception {
        // -Dmqtt.it.per-device=1000 makes it a throughput run (100,000 messages)
        int devices = 100;
        int perDevice = Integer.getInteger("mqtt.it.per-device", 100);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> pubs = new ArrayList<>();
        long start = System.nanoTime();
        for (int d = 0; d < devices; d++) {
            String device = "sensor-" + d;
            Path lines = dir.resolve(device + ".txt");
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < perDevice; i++) {
                text.append("2026-11-24T05:00:01Z INFO seq=")
                        .append(i)
                        .append(" temp=20.5 unit=C fw=1.4.2 msg=\"ok\"\n");
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
            assertThat(pub.get(120, TimeUnit.SECONDS)).as("mosquitto_pub exit code").isZero();
        }
        pool.shutdown();

        List<Event> events = events("devices/sensor-", devices * perDevice, Duration.ofSeconds(90));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "MQTT -> Kafka: %d messages from %d mosquitto_pub clients in %.1f s (%.0f msg/s)%n",
                events.size(), devices, seconds, events.size() / seconds);
        assertThat(events).hasSize(devices * perDevice);
        Map<String, List<Integer>> byDevice = new HashMap<>();
        for (Event e : events) {
            assertThat(e.getType()).isEqualTo("mqtt.message");
            assertThat(e.getSource())
                    .isEqualTo("mqtt://127.0.0.1:" + mosquitto.url().split(":")[2]);
            assertThat(e.getExtensions())
                    .containsEntry("mqttqos", "1")
                    .containsEntry("mqttdevice", e.getSubject())
                    .containsEntry("mqtttopic", "devices/" + e.getSubject() + "/logs");
            byDevice.computeIfAbsent(e.getSubject(), k -> new ArrayList<>()).add(seq(e));
        }
        List<Integer> inOrder = java.util.stream.IntStream.range(0, perDevice).boxed().toList();
        assertThat(byDevice).hasSize(devices);
        byDevice.forEach((device, seqs) -> assertThat(seqs).as(device).isEqualTo(inOrder));

        // the raw topic (loghub) has every payload as is, keyed by device
        List<ConsumerRecord<byte[], byte[]>> raw =
                KafkaTopics.read(
                        kafka.bootstrapServers(),
                        "mqtt.raw",
                        rs -> count(rs, "sensor-") >= devices * perDevice,
                        Duration.ofSeconds(30));
        assertThat(count(raw, "sensor-")).isEqualTo(devices * perDevice);
        ConsumerRecord<byte[], byte[]> one = raw.get(raw.size() - 1);
        assertThat(new String(one.headers().lastHeader("mqtt.topic").value()))
                .isEqualTo("devices/" + new String(one.key()) + "/logs");
    }

    /**
     * The worker is killed (SIGKILL) while 10 devices publish at QoS 2, and again while 10 publish
     * at QoS 1; the broker queues what comes meanwhile for the persistent session. After a restart
     * every message is there, and the repeats are exactly the messages whose acknowledgement died
     * with the worker: per device, the tail of what the killed worker had written to Kafka. The
     * connector acknowledges in receive order and only once Kafka has a message, so the broker got
     * the acknowledgements of a prefix of each device's messages; the rest of what was written
     * comes again. At QoS 2 a repeat carries the event id of its first copy.
     *
     * <p>How long that tail is depends on what was in transit when the process died (messages in
     * the connector's window, acknowledgements still queued in the client or the socket), so the
     * test prints it and checks its shape, not its length.
     */
    @Test
    @Order(2)
    void killedMidStreamAndRestartedLosesNothing() throws Exception {
        int devices = 10;
        int perDevice = 1000;
        Path lines = dir.resolve("kill.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < perDevice; i++) {
            text.append("seq=").append(i).append(" level=INFO\n");
        }
        Files.writeString(lines, text);
        // one flow at a time, each killed a quarter of the way through, so that both kills hit
        // a flow in full swing (QoS 2 is the slower: Paho syncs each message to disk)
        Map<String, Long> killedAt = new HashMap<>();
        for (String prefix : List.of("exact/x", "devices/k")) {
            int qos = prefix.startsWith("exact") ? 2 : 1;
            String device = prefix.substring(prefix.indexOf('/') + 1);
            List<Process> pubs = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                pubs.add(mosquitto.publishLines(prefix + d + "/logs", qos, device + d, lines));
            }
            events(prefix, devices * perDevice / 4, Duration.ofSeconds(60));
            worker.kill();
            killedAt.put(prefix, System.currentTimeMillis());
            for (Process p : pubs) {
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            worker = startWorker();
            distinct(prefix, devices * perDevice, Duration.ofSeconds(90)); // before the next kill
        }

        for (String prefix : List.of("devices/k", "exact/x")) {
            boolean qos2 = prefix.startsWith("exact");
            List<Event> events = distinct(prefix, devices * perDevice, Duration.ofSeconds(90));
            Map<String, Event> first = new HashMap<>();
            List<Event> repeats = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (Event e : events) {
                ids.add(e.getId());
                if (first.putIfAbsent(e.getSubject() + "#" + seq(e), e) != null) {
                    repeats.add(e);
                }
            }
            long killed = killedAt.get(prefix);
            System.out.printf(
                    "%s (QoS %s): %d distinct of %d, %d redelivered after the kill (window %d),"
                            + " %d distinct event ids%n",
                    prefix,
                    qos2 ? "2" : "1",
                    first.size(),
                    devices * perDevice,
                    repeats.size(),
                    WINDOW,
                    ids.size());
            assertThat(first.size())
                    .as("distinct messages (nothing lost)")
                    .isEqualTo(devices * perDevice);
            for (Event repeat : repeats) {
                Event original = first.get(repeat.getSubject() + "#" + seq(repeat));
                assertThat(original.getTime().toEpochMilli())
                        .as("a repeat's first copy was written before the kill")
                        .isLessThanOrEqualTo(killed);
                assertThat(repeat.getTime().toEpochMilli()).isGreaterThan(killed);
            }
            assertRepeatsAreTheUnacknowledgedTail(first.values(), repeats, killed);
            if (qos2) {
                // a QoS 2 repeat is one whose PUBCOMP died with the worker: it comes back with
                // its first id, so the job drops it and a function sees each message once
                assertThat(ids)
                        .as("QoS 2: one event id per message, repeats included")
                        .hasSize(devices * perDevice);
                assertThat(ids).allMatch(id -> id.startsWith("mqtt-qos2:flowfn-local-mqtt:"));
                assertRawRepeatsKeepTheirIds("x", devices * perDevice);
            }
        }
    }

    /**
     * Per device: the messages the killed worker wrote (first copy received before the kill) are
     * seqs 0..n-1, and the repeated ones are a tail k..n-1 of them: acknowledgements reach the
     * broker in order, so a repeat with a written, unrepeated message after it would be a
     * redelivery of something the broker had no reason to send again.
     */
    private static void assertRepeatsAreTheUnacknowledgedTail(
            Collection<Event> firsts, List<Event> repeats, long killedAt) {
        Map<String, TreeSet<Integer>> written = new HashMap<>();
        for (Event e : firsts) {
            if (e.getTime().toEpochMilli() <= killedAt) {
                written.computeIfAbsent(e.getSubject(), k -> new TreeSet<>()).add(seq(e));
            }
        }
        Map<String, TreeSet<Integer>> repeated = new HashMap<>();
        for (Event e : repeats) {
            repeated.computeIfAbsent(e.getSubject(), k -> new TreeSet<>()).add(seq(e));
        }
        Map<String, String> tails = new TreeMap<>();
        written.forEach(
                (device, seqs) -> {
                    assertThat(seqs.last())
                            .as(
                                    "%s: what the killed worker wrote is a prefix of its messages",
                                    device)
                            .isEqualTo(seqs.size() - 1);
                    TreeSet<Integer> again = repeated.getOrDefault(device, new TreeSet<>());
                    if (!again.isEmpty()) {
                        assertThat(again)
                                .as("%s: the repeats are the tail of what it wrote", device)
                                .isEqualTo(new TreeSet<>(seqs.tailSet(again.first())));
                    }
                    tails.put(device, again.size() + " of " + seqs.size());
                });
        assertThat(written.keySet()).containsAll(repeated.keySet());
        System.out.println("  repeated tail per device (of written before the kill): " + tails);
    }

    /** On the raw topic too, every copy of a (device, seq) carries the same event id header. */
    private static void assertRawRepeatsKeepTheirIds(String keyPrefix, int messages) {
        Map<String, Set<String>> idsByMessage = new HashMap<>();
        KafkaTopics.read(
                kafka.bootstrapServers(),
                "mqtt.raw",
                rs -> {
                    idsByMessage.clear();
                    for (ConsumerRecord<byte[], byte[]> r : rs) {
                        String key = new String(r.key(), StandardCharsets.UTF_8);
                        if (key.startsWith(keyPrefix)) {
                            Matcher m = SEQ.matcher(new String(r.value(), StandardCharsets.UTF_8));
                            assertThat(m.find()).isTrue();
                            idsByMessage
                                    .computeIfAbsent(key + "#" + m.group(1), k -> new HashSet<>())
                                    .add(
                                            new String(
                                                    r.headers()
                                                            .lastHeader("flowfn.event.id")
                                                            .value(),
                                                    StandardCharsets.UTF_8));
                        }
                    }
                    return idsByMessage.size() >= messages;
                },
                Duration.ofSeconds(30));
        assertThat(idsByMessage).hasSize(messages);
        assertThat(idsByMessage.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    }

    @Test
    @Order(3)
    void oversizedAndBinaryPayloadsDoNotStallAndFollowsDeletes() throws Exception {
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[1024 * 1024]); // 1 MiB: over the 1,000,000-byte limit
        Path binary = dir.resolve("binary.bin");
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x80, 'o', 'k'};
        Files.write(binary, notUtf8);
        mosquitto.publishFile("devices/big/logs", 1, big);
        mosquitto.publishFile("devices/bin/logs", 1, binary);
        KafkaTopics.delete(kafka.bootstrapServers(), "exact");
        // the delete reaches the connector through flowfn.functions; give it a moment
        Thread.sleep(3000);
        mosquitto.publish("exact/gone/logs", 1, "seq=0 after delete");
        mosquitto.publish("devices/after/logs", 1, "seq=0 after the big one");

        List<Event> events = events("devices/after", 1, Duration.ofSeconds(30));
        assertThat(events).hasSize(1);
        List<Event> bin = events("devices/bin", 1, Duration.ofSeconds(5));
        assertThat(bin).hasSize(1);
        byte[] data = new byte[bin.get(0).getData().remaining()];
        bin.get(0).getData().get(data);
        assertThat(data).isEqualTo(notUtf8);
        assertThat(events("exact/gone", 1, Duration.ofSeconds(2)))
                .as("no subscription after the function was deleted")
                .isEmpty();

        List<ConsumerRecord<byte[], byte[]>> dlq =
                KafkaTopics.read(
                        kafka.bootstrapServers(),
                        Topics.DLQ,
                        rs -> !rs.isEmpty(),
                        Duration.ofSeconds(10));
        assertThat(dlq).hasSize(1);
        DeadLetter letter = DLQ.decode(dlq.get(0).value());
        assertThat(letter.getKind()).isEqualTo(FailureKind.BAD_EVENT);
        assertThat(letter.getReason())
                .contains("1048576 bytes", "devices/big/logs", "mqtt.max.payload.bytes");
        assertThat(letter.getEvent().getSubject()).isEqualTo("big");
    }

    /**
     * MQTT 5 (QoS 2 publications come at QoS 1: see PahoV5Connection) and MQTT 3.1.1 over TLS with
     * a user name and password (the TLS listener refuses anonymous clients), QoS 2.
     */
    @Test
    @Order(4)
    void mqtt5AndTlsWithPassword() throws Exception {
        int perDevice = 200;
        Path lines = dir.resolve("v5.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < perDevice; i++) {
            text.append("seq=").append(i).append(" level=INFO\n");
        }
        Files.writeString(lines, text);
        Process v5 = mosquitto.publishLines("mqttv5", "v5/m5/logs", 2, "m5", lines);
        Process secure = mosquitto.publishLines("tls/t1/logs", 2, "t1", lines);
        assertThat(v5.waitFor(60, TimeUnit.SECONDS) && v5.exitValue() == 0).isTrue();
        assertThat(secure.waitFor(60, TimeUnit.SECONDS) && secure.exitValue() == 0).isTrue();

        List<Event> viaV5 = events("v5/", perDevice, Duration.ofSeconds(30));
        assertThat(viaV5).hasSize(perDevice);
        assertThat(viaV5.stream().map(MqttConnectorIT::seq).toList())
                .isEqualTo(java.util.stream.IntStream.range(0, perDevice).boxed().toList());
        assertThat(viaV5)
                .allSatisfy(
                        e -> {
                            assertThat(e.getExtensions()).containsEntry("mqttqos", "1");
                            assertThat(e.getSource())
                                    .isEqualTo(mosquitto.url().replace("tcp", "mqtt"));
                        });

        List<Event> viaTls = events("tls/", perDevice, Duration.ofSeconds(30));
        assertThat(viaTls).hasSize(perDevice);
        assertThat(viaTls)
                .allSatisfy(
                        e -> {
                            assertThat(e.getExtensions()).containsEntry("mqttqos", "2");
                            assertThat(e.getSource())
                                    .isEqualTo(mosquitto.tls().url().replace("ssl", "mqtt"));
                            assertThat(e.getId()).startsWith("mqtt-qos2:flowfn-it-tls:");
                        });
        String log = Files.readString(dir.resolve("connect.log"));
        assertThat(log).doesNotContain(mosquitto.tls().password());
    }

    private static long count(List<ConsumerRecord<byte[], byte[]>> records, String keyPrefix) {
        return records.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(keyPrefix))
                .count();
    }

    private static int seq(Event e) {
        Matcher m = SEQ.matcher(StandardCharsets.UTF_8.decode(e.getData().duplicate()));
        assertThat(m.find()).as("seq in " + e).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Events of {@code topicPrefix}: waits for {@code count} distinct (device, seq). */
    private static List<Event> distinct(String topicPrefix, int count, Duration timeout) {
        return read(topicPrefix, count, timeout, true);
    }

    /** Events whose MQTT topic starts with {@code topicPrefix}: waits for {@code count}. */
    private static List<Event> events(String topicPrefix, int count, Duration timeout) {
        return read(topicPrefix, count, timeout, false);
    }

    private static List<Event> read(
            String topicPrefix, int count, Duration timeout, boolean distinct) {
        List<Event> matching = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        int[] decoded = {0};
        KafkaTopics.read(
                kafka.bootstrapServers(),
                Topics.EVENTS,
                rs -> {
                    for (; decoded[0] < rs.size(); decoded[0]++) {
                        Event e = EVENTS.decode(rs.get(decoded[0]).value());
                        if (e.getExtensions()
                                .getOrDefault("mqtttopic", "")
                                .startsWith(topicPrefix)) {
                            matching.add(e);
                            if (distinct) {
                                ids.add(e.getSubject() + "#" + seq(e));
                            }
                        }
                    }
                    return (distinct ? ids.size() : matching.size()) >= count;
                },
                timeout);
        return matching;
    }
}
