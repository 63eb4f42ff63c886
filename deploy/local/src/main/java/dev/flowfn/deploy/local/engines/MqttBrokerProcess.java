package dev.flowfn.deploy.local.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The local MQTT broker: Moquette (MQTT 3.1.1), run in its own JVM from the {@code mqtt-broker}
 * engine class path ({@code dev.flowfn.deploy.mqttbroker.MqttBrokerMain}), anonymous, on 127.0.0.1
 * only.
 *
 * <p>Data folder layout: {@code ports.properties} (the MQTT port, chosen on the first start) and
 * {@code data/} (persistent sessions: subscriptions and queued messages of clients with clean
 * session off, such as the MQTT connector).
 *
 * <p>Threads: {@link #start} blocks until the broker prints {@code READY}; the other methods may be
 * called from any thread.
 */
public final class MqttBrokerProcess implements AutoCloseable {

    public static final String ENGINE = "mqtt-broker";
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final String MAIN_CLASS = "dev.flowfn.deploy.mqttbroker.MqttBrokerMain";
    private static final String[] JVM_OPTIONS = {
        "-Xmx256m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"
    };

    private final ChildJvm jvm;
    private final String url;

    private MqttBrokerProcess(ChildJvm jvm, String url) {
        this.jvm = jvm;
        this.url = url;
    }

    /** Starts the broker on {@code dir} (created if needed) and waits until it accepts clients. */
    public static MqttBrokerProcess start(Path dir, Path logFile)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        PersistedPorts ports =
                PersistedPorts.loadOrAllocate(dir.resolve("ports.properties"), "mqtt");
        ports = ports.requireFree("MQTT broker");
        String url = "tcp://127.0.0.1:" + ports.get("mqtt");
        ChildJvm jvm =
                ChildJvm.builder(ENGINE, MAIN_CLASS)
                        .classpath(EngineClasspath.locate().classpath(ENGINE))
                        .jvmOptions(JVM_OPTIONS)
                        .args(
                                "--port=" + ports.get("mqtt"),
                                "--data-dir=" + dir.resolve("data").toAbsolutePath())
                        .logFile(logFile)
                        .start();
        try {
            ChildJvm.awaitLine(jvm, "READY " + url, READY_TIMEOUT, "MQTT broker");
            return new MqttBrokerProcess(jvm, url);
        } catch (RuntimeException | InterruptedException e) {
            jvm.close();
            throw e;
        }
    }

    /** {@code tcp://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    public Path logFile() {
        return jvm.logFile();
    }

    /** Graceful stop (sessions saved); killed after {@link ChildJvm#STOP_TIMEOUT}. */
    @Override
    public void close() {
        jvm.close();
    }
}
