package dev.flowfn.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real mosquitto and the real Paho client: QoS 2 messages handed over and never acknowledged
 * (what a crash between the Kafka write and PUBCOMP leaves) come again to a new client on the same
 * state folder with the event ids they first had; once acknowledged, their ids are gone and new
 * messages get new ones.
 */
class Qos2RedeliveryIT {

    private static final Path BROKER = Path.of("/usr/sbin/mosquitto");
    private static final Path PUB = Path.of("/usr/bin/mosquitto_pub");
    private static final int MESSAGES = 50;

    @TempDir Path dir;
    private Process broker;
    private int port;

    @BeforeEach
    void startMosquitto() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        "user " + System.getProperty("user.name"),
                        "max_inflight_messages 100",
                        ""));
        broker =
                new ProcessBuilder(BROKER.toString(), "-c", conf.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("mosquitto.log").toFile())
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                assertThat(broker.isAlive() && System.nanoTime() < deadline)
                        .as("mosquitto started")
                        .isTrue();
                Thread.sleep(50);
            }
        }
    }

    @AfterEach
    void stopMosquitto() throws Exception {
        broker.destroy();
        if (!broker.waitFor(10, TimeUnit.SECONDS)) {
            broker.destroyForcibly();
        }
    }

    @Test
    void unacknowledgedQos2MessagesComeAgainWithTheirFirstIds() throws Exception {
        MqttSourceConfig config =
                new MqttSourceConfig(
                        Map.of(
                                MqttSourceConfig.SERVER_URI,
                                "tcp://127.0.0.1:" + port,
                                MqttSourceConfig.CLIENT_ID,
                                "qos2-it",
                                MqttSourceConfig.STATE_DIR,
                                dir.resolve("state").toString()));
        List<MqttMessage> first = new CopyOnWriteArrayList<>();
        MqttConnection before = MqttConnection.create(config, first::add);
        before.connect(Duration.ofSeconds(10));
        before.subscribe(TopicFilter.of("q/+/logs", 2)).get(10, TimeUnit.SECONDS);
        publish("q/d1/logs", MESSAGES, 0);
        await(first, MESSAGES);
        before.close(); // none acknowledged: the broker waits for PUBCOMP, Paho kept them

        List<MqttMessage> again = new CopyOnWriteArrayList<>();
        MqttConnection after = MqttConnection.create(config, again::add);
        after.connect(Duration.ofSeconds(10));
        await(again, MESSAGES);
        assertThat(ids(again)).isEqualTo(ids(first));
        assertThat(ids(first).values())
                .doesNotHaveDuplicates()
                .allMatch(id -> id.startsWith("mqtt-qos2:qos2-it:"));

        again.forEach(MqttMessage::ack);
        try (var left = Files.list(config.stateDir().resolve("qos2-event-ids"))) {
            assertThat(left.count()).as("ids of completed messages").isZero();
        }
        List<MqttMessage> later = again;
        later.clear();
        publish("q/d1/logs", MESSAGES, MESSAGES);
        await(later, MESSAGES);
        assertThat(ids(later).values()).doesNotContainAnyElementsOf(ids(first).values());
        later.forEach(MqttMessage::ack);
        after.close();
    }

    /** Payload -> event id. */
    private static Map<String, String> ids(List<MqttMessage> messages) {
        return messages.stream()
                .collect(
                        Collectors.toMap(
                                m -> new String(m.payload(), StandardCharsets.UTF_8),
                                MqttMessage::eventId));
    }

    private static void await(List<MqttMessage> messages, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (messages.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(messages).hasSize(count);
    }

    private void publish(String topic, int count, int from) throws Exception {
        Path lines = dir.resolve("lines-" + from + ".txt");
        StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            text.append("seq=").append(i).append('\n');
        }
        Files.writeString(lines, text);
        Process p =
                new ProcessBuilder(
                                PUB.toString(),
                                "-h",
                                "127.0.0.1",
                                "-p",
                                Integer.toString(port),
                                "-q",
                                "2",
                                "-t",
                                topic,
                                "-l")
                        .redirectInput(lines.toFile())
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
    }
}
