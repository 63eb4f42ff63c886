package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.testfns.Ticker;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import dev.flowfn.testing.TestJars;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform over a Kafka that takes SASL_SSL clients only (SCRAM-SHA-512 or PLAIN, and a
 * client certificate: {@link SaslSslKafka}), each component given the same {@code --kafka-config}
 * file: {@code flowfn local} (the job on its MiniCluster, the Connect worker with the MQTT and
 * timer connectors, the control server), {@code flowfn server}, and the CLI ({@code deploy}, {@code
 * invoke}, {@code logs}, {@code tail}). Every result is counted from {@code flowfn.results}, read
 * through SASL_SSL. Then: a wrong password or a client without SASL fails soon with a message
 * naming the fix, and no password or key store password appears in any output, log, file of the
 * data folder, process command line or Flink REST answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaIT {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private static final String TOKEN = "it-" + UUID.randomUUID();
    private static final Pattern ENDPOINT = Pattern.compile("^\\s+(\\S.*?\\S)\\s{2,}(\\S+).*$");

    @TempDir static Path dir;
    static SaslSslKafka kafka;
    static Path scramConfig;
    static Path plainConfig;
    static Path dataDir;
    static Process local;
    static final List<String> localOutput = new CopyOnWriteArrayList<>();
    static final Map<String, String> endpoints = new LinkedHashMap<>();

    /** Everything a process of this test printed, and what Flink's REST API answered. */
    static final Map<String, String> printed = new ConcurrentHashMap<>();

    /** The command line of every process flowfn local started. */
    static final Set<String> commandLines = ConcurrentHashMap.newKeySet();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        kafka = SaslSslKafka.start(dir.resolve("kafka"));
        kafka.createTopics(2, "words");
        System.out.printf("SASL_SSL broker ready in %.1f s%n", seconds(t0));
        scramConfig = SaslSslKafka.write(dir.resolve("scram.properties"), kafka.scramClient());
        plainConfig = SaslSslKafka.write(dir.resolve("plain.properties"), kafka.plainClient());
        dataDir = dir.resolve("data");

        long t1 = System.nanoTime();
        local =
                CliProcesses.flowfn(
                                "768m",
                                "local",
                                "--data-dir",
                                dataDir.toString(),
                                "--kafka-config",
                                scramConfig.toString(),
                                "--checkpoint-interval",
                                "500ms")
                        .redirectErrorStream(true)
                        .start();
        CliProcesses.follow(local, localOutput, "[local] ");
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (localOutput.stream().noneMatch(l -> l.startsWith("Press Ctrl-C"))) {
            assertThat(local.isAlive()).as("flowfn local exited: " + localOutput).isTrue();
            assertThat(System.nanoTime()).as("flowfn local not ready in time").isLessThan(deadline);
            Thread.sleep(100);
        }
        System.out.printf("flowfn local over SASL_SSL ready in %.1f s%n", seconds(t1));
        for (String line : localOutput) {
            Matcher m = ENDPOINT.matcher(line);
            if (m.matches()) {
                endpoints.putIfAbsent(m.group(1), m.group(2));
            }
        }
        recordCommandLines();
    }

    @AfterAll
    static void stop() {
        if (local != null && local.isAlive()) {
            List<ProcessHandle> engines = local.descendants().toList();
            local.destroy();
            try {
                local.waitFor(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            engines.forEach(ProcessHandle::destroyForcibly);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void theJobRunsAFunctionDeployedWithTheCliOnEventsFromATopic() throws Exception {
        Path jar = Path.of(Upper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Cli deploy =
                cli(
                        "deploy",
                        "--name",
                        "upper",
                        "--jar",
                        jar.toString(),
                        "--handler",
                        Upper.class.getName(),
                        "--timeout",
                        "10s",
                        "--trigger",
                        "kafka:topic=words",
                        "--trigger",
                        "http:route=/upper,methods=POST,auth=anonymous",
                        "--trigger",
                        "mqtt:topic=sensors/+/words,qos=1");
        assertThat(deploy.exit).as(deploy.all()).isZero();

        Cli invoke = cli("invoke", "upper", "--data", "\"hello\"");
        assertThat(invoke.exit).as(invoke.all()).isZero();
        assertThat(invoke.out.trim()).isEqualTo("\"HELLO\"");

        Map<String, String> words = new LinkedHashMap<>();
        IntStream.range(0, 20).forEach(i -> words.put("k" + i, "word-" + i));
        kafka.send("words", words);
        Set<String> expected =
                IntStream.range(0, 20).mapToObj(i -> "WORD-" + i).collect(Collectors.toSet());
        List<String> data =
                results(r -> expected.contains(text(r.getData())), 20, Duration.ofSeconds(90))
                        .stream()
                        .map(r -> text(r.getData()))
                        .toList();
        assertThat(data).as("one committed result per record on 'words'").hasSize(20);
        assertThat(new TreeSet<>(data)).isEqualTo(new TreeSet<>(expected));

        Cli logs = cli("logs", "upper", "--since", "10m");
        assertThat(logs.exit).as(logs.all()).isZero();
        assertThat(logs.out).contains("upper-cased");
        recordCommandLines();
    }

    @Test
    @Order(2)
    void theMqttConnectorInTheConnectWorkerWritesEventsTheJobRuns() throws Exception {
        URI mqtt = URI.create(endpoints.get("MQTT broker"));
        for (int i = 0; i < 3; i++) {
            Process pub =
                    new ProcessBuilder(
                                    "mosquitto_pub",
                                    "-h",
                                    mqtt.getHost(),
                                    "-p",
                                    Integer.toString(mqtt.getPort()),
                                    "-q",
                                    "1",
                                    "-t",
                                    "sensors/d" + i + "/words",
                                    "-m",
                                    "mqtt-" + i)
                            .redirectErrorStream(true)
                            .start();
            String out = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(pub.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pub.exitValue()).as(out).isZero();
        }
        List<String> data =
                results(r -> text(r.getData()).startsWith("MQTT-"), 3, Duration.ofSeconds(90))
                        .stream()
                        .map(r -> text(r.getData()))
                        .sorted()
                        .toList();
        assertThat(data).containsExactly("MQTT-0", "MQTT-1", "MQTT-2");
        assertThat(kafka.readCommitted("mqtt.raw", r -> true, 3, Duration.ofSeconds(30)))
                .as("raw messages on mqtt.raw, a topic the Connect worker created")
                .hasSize(3);
    }

    @Test
    @Order(3)
    void theTimerConnectorTicksRunAFunction() throws Exception {
        Path jar = Files.write(dir.resolve("ticker.jar"), TestJars.of(Ticker.class));
        Cli deploy =
                cli(
                        "deploy",
                        "--name",
                        "ticker",
                        "--jar",
                        jar.toString(),
                        "--handler",
                        Ticker.class.getName(),
                        "--trigger",
                        "cron:expr=* * * * * ?");
        assertThat(deploy.exit).as(deploy.all()).isZero();
        List<InvocationResult> ticks =
                results(r -> r.getFunction().equals("ticker"), 3, Duration.ofSeconds(90));
        assertThat(ticks.size()).isGreaterThanOrEqualTo(3);
        assertThat(ticks).allMatch(InvocationResult::getSuccess);
        assertThat(ticks.stream().map(InvocationResult::getEventId).collect(Collectors.toSet()))
                .as("one result per tick")
                .hasSize(ticks.size())
                .allMatch(id -> id.startsWith("timer:ticker/"));
        Cli describe = cli("describe", "ticker");
        assertThat(describe.out).as("progress from the job, read by the server").contains("tick ");
        assertThat(cli("delete", "ticker").exit).isZero();
        recordCommandLines();
    }

    @Test
    @Order(4)
    void flowfnServerIsReadyAndServesTheFunction() throws Exception {
        int port = freePort();
        int gatewayPort = freePort();
        Process server = server(scramConfig, port, gatewayPort, "server-logs");
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = CliProcesses.follow(server, output, "[server] ");
        try {
            String api = "http://127.0.0.1:" + port;
            awaitReady(server, api, output);
            ControlClient client = new ControlClient(URI.create(api), TOKEN);
            assertThat(client.list()).anyMatch(f -> f.name().equals("upper"));
            ResultView result = client.invoke("upper", bytes("\"server\""), "application/json");
            assertThat(result.success()).isTrue();
            assertThat(result.data()).isEqualTo("\"SERVER\"");
            HttpResponse<String> viaGateway =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:" + gatewayPort + "/upper"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("\"gateway\""))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(viaGateway.statusCode()).as(viaGateway.body()).isEqualTo(200);
            assertThat(viaGateway.body()).isEqualTo("\"GATEWAY\"");
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(server.pid())).start().waitFor();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server stops").isTrue();
            reader.join(5_000);
            printed.put("flowfn server", String.join("\n", output));
        }
        assertThat(output).contains("Stopped.");
    }

    @Test
    @Order(5)
    void tailReadsThroughSaslSslWithScramOrPlain() throws Exception {
        Cli results =
                cli(
                        "tail",
                        Topics.RESULTS,
                        "--from-beginning",
                        "--max",
                        "5",
                        "--kafka-config",
                        scramConfig.toString());
        assertThat(results.exit).as(results.all()).isZero();
        assertThat(results.out.lines().toList())
                .as("5 results, decoded with the schemas of flowfn.schemas")
                .hasSize(5)
                .allMatch(l -> l.contains("\"invocationId\""));

        Cli words =
                cli(
                        "tail",
                        "words",
                        "--from-beginning",
                        "--max",
                        "20",
                        "--kafka-config",
                        plainConfig.toString());
        assertThat(words.exit).as(words.all()).isZero();
        assertThat(words.out.lines().filter(l -> l.contains("\"word-")).count()).isEqualTo(20);
    }

    @Test
    @Order(6)
    void aWrongPasswordOrNoSaslFailsSoonNamingTheFix() throws Exception {
        Map<String, String> wrong = new LinkedHashMap<>(kafka.scramClient());
        wrong.put(
                "sasl.jaas.config",
                wrong.get("sasl.jaas.config").replace(kafka.passwords().scram(), "not-it"));
        Path wrongConfig = SaslSslKafka.write(dir.resolve("wrong.properties"), wrong);
        Map<String, String> noSasl = new LinkedHashMap<>(kafka.scramClient());
        noSasl.put("security.protocol", "SSL");
        noSasl.remove("sasl.mechanism");
        noSasl.remove("sasl.jaas.config");
        Path noSaslConfig = SaslSslKafka.write(dir.resolve("no-sasl.properties"), noSasl);

        // side by side: a client without SASL can only wait for its timeout
        Finished plain =
                Finished.of(
                        "tail without SASL",
                        cliProcess(
                                "tail",
                                Topics.RESULTS,
                                "--max",
                                "1",
                                "--kafka-config",
                                noSaslConfig.toString()));
        Finished local =
                Finished.of(
                        "flowfn local with a wrong password",
                        CliProcesses.flowfn(
                                        "768m",
                                        "local",
                                        "--data-dir",
                                        dir.resolve("wrong-data").toString(),
                                        "--kafka-config",
                                        wrongConfig.toString())
                                .redirectErrorStream(true)
                                .start());
        Finished tail =
                Finished.of(
                        "tail with a wrong password",
                        cliProcess(
                                "tail",
                                Topics.RESULTS,
                                "--max",
                                "1",
                                "--kafka-config",
                                wrongConfig.toString()));
        Finished server =
                Finished.of(
                        "flowfn server with a wrong password",
                        server(wrongConfig, 0, 0, "wrong-server-logs"));
        for (Finished f : List.of(tail, server, local, plain)) {
            f.await();
        }

        assertThat(tail.exit).as(tail.output).isEqualTo(1);
        assertThat(tail.output)
                .contains("error: Kafka at " + kafka.bootstrapServers() + " refused the login")
                .contains("check the user name and password in sasl.jaas.config")
                .contains("(in --kafka-config " + wrongConfig + ")")
                .doesNotContain("\tat ");
        assertThat(server.exit).as(server.output).isEqualTo(1);
        assertThat(server.output)
                .contains("the control server did not start: Kafka at")
                .contains("refused the login")
                .contains("sasl.jaas.config");
        // the refusal ends the server's start at once: it used to wait out the 60 s it gives each
        // view of Kafka to catch up, then said "could not read flowfn.functions; is Kafka up?"
        assertThat(local.exit).as(local.output).isEqualTo(1);
        assertThat(local.output)
                .contains("Flowfn did not start: Kafka at " + kafka.bootstrapServers() + " refused")
                .contains("sasl.jaas.config");
        assertThat(plain.exit).as(plain.output).isEqualTo(1);
        assertThat(plain.output)
                .contains("no answer from Kafka at " + kafka.bootstrapServers() + " within 15 s")
                .contains("check security.protocol")
                .doesNotContain("\tat ");
    }

    /**
     * A process that should fail by itself: what it printed, its exit code and how long it took.
     */
    private static final class Finished {
        final String what;
        final Process process;
        final long start = System.nanoTime();
        final CompletableFuture<String> read;
        String output;
        int exit;
        double seconds;

        private Finished(String what, Process process) {
            this.what = what;
            this.process = process;
            this.read =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new String(
                                            process.getInputStream().readAllBytes(),
                                            StandardCharsets.UTF_8);
                                } catch (IOException e) {
                                    return e.toString();
                                }
                            });
        }

        static Finished of(String what, Process process) throws IOException {
            process.getOutputStream().close();
            return new Finished(what, process);
        }

        void await() throws Exception {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(what + " ends").isTrue();
            seconds = seconds(start);
            exit = process.exitValue();
            output = read.get(10, TimeUnit.SECONDS);
            printed.put(what, output);
            System.out.printf(
                    "%s: exit %d in %.1f s, saying:%n%s%n", what, exit, seconds, output.strip());
        }
    }

    @Test
    @Order(7)
    void noSecretIsPrintedLoggedOrPassedOnACommandLine() throws Exception {
        recordCommandLines();
        flinkRestAnswers();
        new ProcessBuilder("kill", "-TERM", Long.toString(local.pid())).start().waitFor();
        assertThat(local.waitFor(120, TimeUnit.SECONDS)).as("flowfn local stops").isTrue();
        printed.put("flowfn local", String.join("\n", localOutput));

        Map<String, String> secrets = new LinkedHashMap<>();
        SaslSslKafka.Passwords pw = kafka.passwords();
        secrets.put("SCRAM password", pw.scram());
        secrets.put("PLAIN password", pw.plain());
        secrets.put("key store password", pw.clientStore());
        secrets.put("trust store password", pw.trustStore());
        List<String> found = new ArrayList<>();
        printed.forEach((what, text) -> find(secrets, what, text.getBytes(), found));
        commandLines.forEach(line -> find(secrets, "command line " + line, line.getBytes(), found));
        List<Path> files;
        try (Stream<Path> walk =
                Stream.concat(Files.walk(dataDir), Files.walk(dir.resolve("server-logs")))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        try (Stream<Path> walk = Files.walk(dir.resolve("wrong-data"))) {
            files = Stream.concat(files.stream(), walk.filter(Files::isRegularFile)).toList();
        }
        assertThat(files).anyMatch(f -> f.getFileName().toString().equals("flowfn.log"));
        for (Path file : files) {
            find(secrets, "file " + dir.relativize(file), Files.readAllBytes(file), found);
        }
        assertThat(printed.keySet()).as("outputs checked").hasSizeGreaterThan(10);
        assertThat(found).as("places holding a secret").isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** {@code flowfn server} on {@code config}, over the platform's object store. */
    private static Process server(Path config, int port, int gatewayPort, String logDir)
            throws IOException {
        Properties s3 = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("s3-credentials.properties"))) {
            s3.load(in);
        }
        ProcessBuilder pb =
                CliProcesses.flowfn(
                                "256m",
                                "server",
                                "--kafka-config",
                                config.toString(),
                                "--s3-endpoint",
                                endpoints.get("S3 endpoint"),
                                "--port",
                                Integer.toString(port),
                                "--gateway-port",
                                Integer.toString(gatewayPort),
                                "--log-dir",
                                dir.resolve(logDir).toString())
                        .redirectErrorStream(true);
        pb.environment().put("FLOWFN_S3_ACCESS_KEY", s3.getProperty("access.key"));
        pb.environment().put("FLOWFN_S3_SECRET_KEY", s3.getProperty("secret.key"));
        pb.environment().put("FLOWFN_TOKEN", TOKEN);
        return pb.start();
    }

    private static void find(
            Map<String, String> secrets, String where, byte[] text, List<String> found) {
        String s = new String(text, StandardCharsets.ISO_8859_1);
        secrets.forEach(
                (name, value) -> {
                    if (s.contains(value)) {
                        found.add(where + " holds the " + name);
                    }
                });
    }

    private static void recordCommandLines() {
        Stream.concat(Stream.of(local.toHandle()), local.descendants())
                .forEach(p -> p.info().commandLine().ifPresent(commandLines::add));
        // ProcessHandle.Info may shorten arguments; /proc holds them whole
        local.descendants()
                .forEach(
                        p -> {
                            try {
                                commandLines.add(
                                        Files.readString(Path.of("/proc", p.pid() + "", "cmdline"))
                                                .replace('\0', ' '));
                            } catch (IOException gone) {
                                // it ended meanwhile
                            }
                        });
    }

    /** What Flink's REST API (the web UI's source) shows of the job and cluster configuration. */
    private void flinkRestAnswers() throws Exception {
        String ui = endpoints.get("Flink web UI");
        String jobs = get(ui + "/jobs");
        printed.put("Flink /jobs", jobs);
        printed.put("Flink /jobmanager/config", get(ui + "/jobmanager/config"));
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]{32})\"").matcher(jobs);
        assertThat(id.find()).as(jobs).isTrue();
        printed.put("Flink job config", get(ui + "/jobs/" + id.group(1) + "/config"));
        printed.put("Flink job plan", get(ui + "/jobs/" + id.group(1)));
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private void awaitReady(Process server, String api, List<String> output) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            assertThat(server.isAlive()).as("server exited: " + output).isTrue();
            try {
                HttpResponse<String> ready =
                        http.send(
                                HttpRequest.newBuilder(URI.create(api + "/ready")).build(),
                                HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // it listens once it has caught up with the registry
            }
            assertThat(System.nanoTime()).as("server not ready in 120 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * Results on flowfn.results (read through SASL_SSL) that match, once {@code count} came or the
     * timeout passed, plus 2 s (a duplicate would show).
     */
    private static List<InvocationResult> results(
            Predicate<InvocationResult> which, int count, Duration timeout) {
        return kafka
                .readCommitted(
                        Topics.RESULTS, r -> which.test(RESULTS.decode(r.value())), count, timeout)
                .stream()
                .map(r -> RESULTS.decode(r.value()))
                .toList();
    }

    private record Cli(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n" + out + "\n" + err;
        }
    }

    /** {@code flowfn ARGS} with its error output in its output, on the data folder. */
    private static Process cliProcess(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dataDir.toString());
        return CliProcesses.flowfn("384m", all.toArray(String[]::new))
                .redirectErrorStream(true)
                .start();
    }

    private static Cli cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dataDir.toString());
        Process p = CliProcesses.flowfn("384m", all.toArray(String[]::new)).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        printed.put("flowfn " + String.join(" ", args), out + "\n" + err);
        return new Cli(p.exitValue(), out, err);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(java.nio.ByteBuffer data) {
        return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
