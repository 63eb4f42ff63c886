package dev.flowfn.deploy.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian {@code mosquitto} broker (MQTT 3.1.1 and 5) on a free 127.0.0.1 port, with
 * persistence, and its {@code mosquitto_pub} client. Installed by {@code
 * scripts/install-test-tools}.
 */
final class Mosquitto implements AutoCloseable {

    static final Path BROKER = Path.of("/usr/sbin/mosquitto");
    static final Path PUB = Path.of("/usr/bin/mosquitto_pub");

    /**
     * How many QoS 1/2 messages mosquitto should send a client before it must acknowledge. Not a
     * bound tests may count on: Debian's mosquitto 2.0.11, configured as here, was seen (with
     * {@code log_type all}) to have up to 9,901 PUBLISHes unacknowledged by the connector.
     */
    static final int MAX_INFLIGHT = 100;

    private final Process process;
    private final int port;
    private final TlsListener tls;

    private Mosquitto(Process process, int port, TlsListener tls) {
        this.process = process;
        this.port = port;
        this.tls = tls;
    }

    /** Plain MQTT on one port, anonymous. */
    static Mosquitto start(Path dir) throws Exception {
        return start(dir, false);
    }

    /**
     * Plain MQTT, anonymous, and, if {@code withTls}, a second listener with TLS (a certificate for
     * 127.0.0.1 made now, see {@link TlsListener}) that wants a user name and password.
     */
    static Mosquitto start(Path dir, boolean withTls) throws Exception {
        if (!Files.isExecutable(BROKER) || !Files.isExecutable(PUB)) {
            throw new IllegalStateException(
                    "mosquitto and mosquitto_pub are needed: run scripts/install-test-tools"
                            + " (apt-get install mosquitto mosquitto-clients)");
        }
        Files.createDirectories(dir);
        int port = freePort();
        TlsListener tls = withTls ? TlsListener.create(dir.resolve("tls"), freePort()) : null;
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        // security settings (anonymous, passwords) apply per listener
                        "per_listener_settings true",
                        // started as root, mosquitto would switch to user mosquitto, which may
                        // not read the test's folder (its key, password file, persistence)
                        "user " + System.getProperty("user.name"),
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        tls == null ? "" : tls.config(),
                        "persistence true",
                        "persistence_location " + dir.toAbsolutePath() + "/",
                        // queue everything for the connector's session while it is down
                        "max_queued_messages 0",
                        "max_inflight_messages " + MAX_INFLIGHT,
                        "log_dest stdout",
                        "log_type error",
                        "log_type warning",
                        "log_type notice",
                        ""));
        Process p =
                new ProcessBuilder(BROKER.toString(), "-c", conf.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("mosquitto.log").toFile())
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Mosquitto(p, port, tls);
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException(
                            "mosquitto did not start; see " + dir.resolve("mosquitto.log"));
                }
                Thread.sleep(50);
            }
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The TLS listener, if started with one. */
    TlsListener tls() {
        return tls;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * {@code mosquitto_pub} publishing each line of {@code lines} as one message (-l), as client
     * {@code clientId}; started, not awaited.
     */
    Process publishLines(String topic, int qos, String clientId, Path lines) throws IOException {
        return publishLines("mqttv311", topic, qos, clientId, lines);
    }

    /** {@link #publishLines(String, int, String, Path)} with protocol {@code version} (-V). */
    Process publishLines(String version, String topic, int qos, String clientId, Path lines)
            throws IOException {
        return new ProcessBuilder(
                        PUB.toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-V",
                        version,
                        "-q",
                        Integer.toString(qos),
                        "-i",
                        clientId,
                        "-t",
                        topic,
                        "-l")
                .redirectInput(lines.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** {@code mosquitto_pub -f FILE}: the file's bytes as one message; waits for it. */
    void publishFile(String topic, int qos, Path file) throws Exception {
        run(List.of("-q", Integer.toString(qos), "-t", topic, "-f", file.toString()));
    }

    /** {@code mosquitto_pub -m TEXT}; waits for it. */
    void publish(String topic, int qos, String text) throws Exception {
        run(List.of("-q", Integer.toString(qos), "-t", topic, "-m", text));
    }

    private void run(List<String> args) throws Exception {
        pub(port, args);
    }

    /** {@code mosquitto_pub -h 127.0.0.1 -p PORT ARGS} against any broker; waits for it. */
    static void pub(int port, List<String> args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(PUB.toString(), "-h", "127.0.0.1", "-p", "" + port));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("mosquitto_pub " + args + " failed: " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
