package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.control.client.UploadListener;
import dev.flowfn.schemas.InvocationResult;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js and Python examples end to end on a real local platform: each example folder is
 * zipped as {@code flowfn deploy --code DIR} does and deployed with its runtime; the thumbnail
 * function gets a real JPEG uploaded with the real AWS CLI.
 */
class RuntimeExamplesIT {

    private static final Path EXAMPLES = Path.of("../../examples").toAbsolutePath().normalize();

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatforms.start(dir, Map.of());
        client = TestPlatforms.client(platform, dir);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theNodeThumbnailExampleWritesASmallerImageKeepingTheFolder() throws Exception {
        Path code = copy(EXAMPLES.resolve("thumbnail-node"), dir.resolve("thumbnail-node"));
        npm(code, "ci", "--omit=dev", "--no-audit", "--no-fund");
        client.deployArchive(
                DeploySpecs.of(
                        "name",
                        "thumbs-node",
                        "runtime",
                        "nodejs",
                        "handler",
                        "index.handler",
                        "memoryMb",
                        256,
                        "timeout",
                        "30s",
                        "retries",
                        1,
                        "env",
                        Map.of("THUMB_SIZE", "120"),
                        "triggers",
                        List.of("s3:bucket=photos,prefix=uploads/,suffix=.jpg,events=put"),
                        "outputs",
                        List.of("s3://photos/thumbs/")),
                "thumbnail-node.zip",
                zip(code),
                UploadListener.NONE);

        Files.createDirectories(dir.resolve("aws-home"));
        AwsCli aws =
                new AwsCli(
                        platform.s3Endpoint(),
                        platform.s3Credentials().accessKey(),
                        platform.s3Credentials().secretKey(),
                        dir.resolve("aws-home"));
        aws.s3("mb", "s3://photos");
        Path photo = dir.resolve("cat.jpg");
        Files.write(photo, jpeg(640, 400));
        aws.s3("cp", photo.toString(), "s3://photos/uploads/2026/cats/cat.jpg");

        List<InvocationResult> results =
                ResultsReader.read(
                        platform.kafkaBootstrap(),
                        r -> r.getFunction().equals("thumbs-node"),
                        1,
                        Duration.ofSeconds(90));
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getSuccess())
                .as("the invocation failed: %s", results.get(0).getError())
                .isTrue();
        assertThat(text(results.get(0)))
                .contains("\"thumbnail\":\"s3://photos/thumbs/2026/cats/cat.jpg\"");

        Path got = dir.resolve("cat-small.jpg");
        aws.s3("cp", "s3://photos/thumbs/2026/cats/cat.jpg", got.toString());
        BufferedImage thumb = ImageIO.read(got.toFile());
        assertThat(thumb).as("a valid JPEG").isNotNull();
        assertThat(thumb.getWidth()).isEqualTo(120);
        assertThat(thumb.getHeight()).isEqualTo(75);
        assertThat(Files.size(got)).isLessThan(Files.size(photo));
    }

    @Test
    void thePythonIotLogsExampleEmitsOneRecordPerLine() throws Exception {
        Path code = copy(EXAMPLES.resolve("iot-logs-python"), dir.resolve("iot-logs-python"));
        client.deployArchive(
                DeploySpecs.of(
                        "name",
                        "parse-logs-py",
                        "runtime",
                        "python",
                        "handler",
                        "handler.main",
                        "memoryMb",
                        128,
                        "timeout",
                        "10s",
                        "retries",
                        0,
                        "env",
                        Map.of("OUTPUT_TOPIC", "iot.parsed"),
                        "triggers",
                        List.of("kafka:topic=device-logs")),
                "iot-logs-python.zip",
                zip(code),
                UploadListener.NONE);

        Properties p = new Properties();
        p.put("bootstrap.servers", platform.kafkaBootstrap());
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(
                    new ProducerRecord<>(
                            "device-logs",
                            "sensor-7",
                            "2026-11-24T05:00:01Z WARN temp=81.5 unit=C fw=1.4.2 msg=\"fan slow\"\n"
                                    + "{\"time\":\"2026-11-24T05:00:02Z\",\"metrics\":{\"v\":3.3}}"));
            producer.send(new ProducerRecord<>("device-logs", "sensor-8", "temp=20 door=open"));
        }

        List<ConsumerRecord<String, String>> records =
                readStrings("iot.parsed", 3, Duration.ofSeconds(90));
        assertThat(records)
                .as("records on iot.parsed; results: %s", failures("parse-logs-py"))
                .hasSize(3);
        assertThat(records.stream().map(ConsumerRecord::key))
                .containsExactlyInAnyOrder("sensor-7", "sensor-7", "sensor-8");
        assertThat(records.stream().map(ConsumerRecord::value))
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains("\"device\": \"sensor-7\"")
                                        .contains("\"level\": \"WARN\"")
                                        .contains("\"metrics\": {\"temp\": 81.5}")
                                        .contains("\"message\": \"fan slow\""))
                .anySatisfy(v -> assertThat(v).contains("\"metrics\": {\"v\": 3.3}"))
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains("\"device\": \"sensor-8\"")
                                        .contains("\"tags\": {\"door\": \"open\"}"));
    }

    private static String failures(String function) {
        return ResultsReader.read(
                        platform.kafkaBootstrap(),
                        r -> r.getFunction().equals(function) && !r.getSuccess(),
                        1,
                        Duration.ofSeconds(1))
                .stream()
                .map(r -> String.valueOf(r.getError()))
                .toList()
                .toString();
    }

    /** Reads {@code topic} from the beginning, read_committed, until {@code count} came. */
    private static List<ConsumerRecord<String, String>> readStrings(
            String topic, int count, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "runtime-examples-it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static String text(InvocationResult r) {
        return StandardCharsets.UTF_8.decode(r.getData().duplicate()).toString();
    }

    /** Runs npm in {@code folder}, failing with its output; says so plainly when npm is missing. */
    static void npm(Path folder, String... args) throws IOException, InterruptedException {
        List<String> command = Stream.concat(Stream.of("npm"), Stream.of(args)).toList();
        Process p;
        try {
            p =
                    new ProcessBuilder(command)
                            .directory(folder.toFile())
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "npm is not on the PATH: install Node.js 18+ with npm (scripts/install-test-tools)",
                    e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " failed in " + folder + ":\n" + output);
        }
    }

    /** A copy of an example folder, without what a developer may have installed in it. */
    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                if (rel.toString().startsWith("node_modules")
                        || rel.toString().contains("__pycache__")) {
                    continue;
                }
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to.resolve(rel.toString()));
                } else {
                    Files.copy(f, to.resolve(rel.toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    /**
     * The folder zipped as {@code flowfn deploy --code DIR} does: regular files, links followed.
     */
    static byte[] zip(Path folder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes);
                Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.sorted().toList()) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                        && !(Files.isSymbolicLink(f) && Files.isRegularFile(f))) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A real JPEG: a gradient, so it compresses as a photo does rather than to nothing. */
    static byte[] jpeg(int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, w, h, Color.BLUE));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        for (int i = 0; i < 40; i++) {
            g.drawLine(i * 17 % w, 0, w - i * 13 % w, h);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
