package dev.flowfn.deploy.mqttbroker;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The local MQTT broker: Moquette (MQTT 3.1.1) on {@code tcp://127.0.0.1:PORT}, anonymous, with
 * persistent sessions (queued messages and subscriptions of clients with clean session off survive
 * a restart) in {@code DIR}.
 *
 * <p>Usage: {@code MqttBrokerMain --port=PORT --data-dir=DIR}. Prints {@code READY
 * tcp://127.0.0.1:PORT} once it accepts connections; SIGTERM stops it.
 */
public final class MqttBrokerMain {

    /**
     * Large enough for the 1 MB payloads devices may send (the connector decides what is too big).
     */
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private MqttBrokerMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(option(args, "port"));
        Path dataDir = Path.of(option(args, "data-dir")).toAbsolutePath();
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("persistence_enabled", "true");
        p.setProperty("data_path", dataDir.toString());
        p.setProperty("netty.mqtt.message_size", Integer.toString(MAX_MESSAGE_BYTES));
        p.setProperty("immediate_buffer_flush", "true");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        Server server = new Server();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        server.stopServer();
                                    } finally {
                                        stopped.countDown();
                                    }
                                },
                                "mqtt-broker-stop"));
        server.startServer(new MemoryConfig(p), List.of());
        System.out.println("READY tcp://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static String option(String[] args, String name) {
        String prefix = "--" + name + "=";
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        throw new IllegalArgumentException("missing " + prefix + "VALUE argument");
    }
}
