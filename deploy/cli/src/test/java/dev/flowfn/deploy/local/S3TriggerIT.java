package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object-storage triggers end to end on a real local platform: the local store (S3Proxy child JVM)
 * notifies the gateway's webhook, the job matches and runs the thumbnail example; uploads with the
 * real AWS CLI.
 */
class S3TriggerIT {

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;
    static AwsCli aws;
    static MinioClient s3;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatforms.start(dir, Map.of());
        client = TestPlatforms.client(platform, dir);
        Files.createDirectories(dir.resolve("aws-home"));
        aws =
                new AwsCli(
                        platform.s3Endpoint(),
                        platform.s3Credentials().accessKey(),
                        platform.s3Credentials().secretKey(),
                        dir.resolve("aws-home"));
        s3 =
                MinioClient.builder()
                        .endpoint(platform.s3Endpoint())
                        .credentials(
                                platform.s3Credentials().accessKey(),
                                platform.s3Credentials().secretKey())
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void fiftyJpegsGetThumbnailsAndATextFileLandsOnTheDeadLetterTopic() throws Exception {
        Path jar = Path.of("../../examples/thumbnail/target/thumbnail.jar").toAbsolutePath();
        assertThat(jar).as("build it: mvn -pl examples/thumbnail package").isRegularFile();
        FunctionView deployed =
                client.deploy(
                        DeploySpecs.of(
                                "name",
                                "thumbs",
                                "handler",
                                "dev.flowfn.examples.thumbnail.Thumbnail",
                                "memoryMb",
                                512,
                                "timeout",
                                "30s",
                                "retries",
                                1,
                                "env",
                                Map.of("THUMB_SIZE", "200"),
                                "triggers",
                                List.of("s3:bucket=photos,prefix=uploads/,suffix=.jpg,events=put"),
                                "outputs",
                                List.of("s3://photos/thumbs/")),
                        "thumbnail.jar",
                        Files.readAllBytes(jar));
        assertThat(deployed.warnings()).isNull(); // no "warnings" field
        aws.s3("mb", "s3://photos");

        Random random = new Random(42);
        Path upload = Files.createDirectories(dir.resolve("upload"));
        Map<String, int[]> dims = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            int w = 240 + random.nextInt(1200);
            int h = 240 + random.nextInt(900);
            String name = String.format("img-%02d.jpg", i);
            Files.write(upload.resolve(name), jpeg(w, h, random));
            dims.put(name, new int[] {w, h});
        }
        Files.writeString(upload.resolve("notes.jpg"), "this is a shopping list, not a photo\n");
        aws.s3("cp", "--recursive", upload.toString(), "s3://photos/uploads/");

        List<InvocationResult> results =
                read(
                        Topics.RESULTS,
                        AvroCodec.of(InvocationResult.class),
                        r -> r.getFunction().equals("thumbs") && r.getSuccess(),
                        50,
                        Duration.ofSeconds(90));
        assertThat(results).hasSize(50);

        Path got = Files.createDirectories(dir.resolve("download"));
        aws.s3("cp", "--recursive", "s3://photos/thumbs/", got.toString());
        for (Map.Entry<String, int[]> e : dims.entrySet()) {
            BufferedImage thumb = ImageIO.read(got.resolve(e.getKey()).toFile());
            assertThat(thumb).as(e.getKey()).isNotNull();
            int w = e.getValue()[0];
            int h = e.getValue()[1];
            int expectedW = w >= h ? 200 : (int) Math.round(w * 200.0 / h);
            int expectedH = h >= w ? 200 : (int) Math.round(h * 200.0 / w);
            assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).isEqualTo(200);
            assertThat(thumb.getWidth())
                    .as(e.getKey() + " width")
                    .isBetween(expectedW - 1, expectedW + 1);
            assertThat(thumb.getHeight())
                    .as(e.getKey() + " height")
                    .isBetween(expectedH - 1, expectedH + 1);
        }
        try (var listing = Files.list(got)) {
            assertThat(listing.count())
                    .as("no thumbnail of the text file, nothing else")
                    .isEqualTo(50);
        }

        List<DeadLetter> dead =
                read(
                        Topics.DLQ,
                        AvroCodec.of(DeadLetter.class),
                        d -> "thumbs".equals(d.getFunction()),
                        1,
                        Duration.ofSeconds(60));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getEvent().getSubject()).isEqualTo("uploads/notes.jpg");
        assertThat(dead.get(0).getReason())
                .contains("s3://photos/uploads/notes.jpg is not an image")
                .contains("bytes starting with");
        assertThat(dead.get(0).getAttempts()).isEqualTo(2);

        // latency: from the store's notification (the event id's sequencer: epoch nanos, taken
        // when the upload completed) to the end of the handler, which wrote the thumbnail first
        System.out.println("S3TriggerIT: burst of 50 uploads at once: " + latencies(results));
        System.out.println(
                "S3TriggerIT: burst, store -> webhook -> flowfn.events (record timestamp): "
                        + deliveryLatency("s3://photos"));

        // one more upload on its own, with the function warm: no queue in front of it
        Path single = dir.resolve("single.jpg");
        Files.write(single, jpeg(1200, 800, random));
        aws.s3("cp", single.toString(), "s3://photos/uploads/single.jpg");
        List<InvocationResult> alone =
                read(
                        Topics.RESULTS,
                        AvroCodec.of(InvocationResult.class),
                        r -> r.getEventId().startsWith("s3:photos/uploads/single.jpg@"),
                        1,
                        Duration.ofSeconds(60));
        assertThat(alone).hasSize(1);
        System.out.println("S3TriggerIT: a single upload, warm: " + latencies(alone));
    }

    /** p50/p99 of notification -> handler start (queue), handler duration, and their sum. */
    private static String latencies(List<InvocationResult> results) {
        long[] total = sorted(results, r -> endMillis(r) - sequencerMillis(r.getEventId()));
        long[] waited =
                sorted(results, r -> r.getStartMicros() / 1000 - sequencerMillis(r.getEventId()));
        long[] handler = sorted(results, r -> r.getDurationMicros() / 1000);
        return String.format(
                "upload -> thumbnail written p50 %d ms, p99 %d ms (of which notification + queue"
                        + " p50 %d ms, p99 %d ms; handler p50 %d ms, p99 %d ms), n=%d",
                percentile(total, 50),
                percentile(total, 99),
                percentile(waited, 50),
                percentile(waited, 99),
                percentile(handler, 50),
                percentile(handler, 99),
                total.length);
    }

    /** p50/p99 of the notification's sequencer time to its Kafka record's append timestamp. */
    private static String deliveryLatency(String source) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
        AvroCodec<dev.flowfn.schemas.Event> codec = AvroCodec.of(dev.flowfn.schemas.Event.class);
        List<Long> millis = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.EVENTS).stream()
                            .map(i -> new TopicPartition(Topics.EVENTS, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(
                                r -> {
                                    dev.flowfn.schemas.Event e = codec.decode(r.value());
                                    if (e.getSource().equals(source)) {
                                        millis.add(r.timestamp() - sequencerMillis(e.getId()));
                                    }
                                });
            }
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(
                "p50 %d ms, p99 %d ms, n=%d",
                percentile(sorted, 50), percentile(sorted, 99), sorted.length);
    }

    private static long endMillis(InvocationResult r) {
        return (r.getStartMicros() + r.getDurationMicros()) / 1000;
    }

    private static long[] sorted(
            List<InvocationResult> results, java.util.function.ToLongFunction<InvocationResult> f) {
        return results.stream().mapToLong(f).sorted().toArray();
    }

    @Test
    void aMultipartUploadFiresExactlyOneEvent() throws Exception {
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "big-files",
                        "handler",
                        Upper.class.getName(),
                        "triggers",
                        List.of("s3:bucket=big")),
                "hello.jar",
                jarOf(Upper.class));
        aws.s3("mb", "s3://big");
        Path file = dir.resolve("big.bin");
        byte[] bytes = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        aws.s3("cp", file.toString(), "s3://big/in/big.bin"); // 8 MB parts: a multipart upload

        List<InvocationResult> results =
                read(
                        Topics.RESULTS,
                        AvroCodec.of(InvocationResult.class),
                        r -> r.getFunction().equals("big-files"),
                        1,
                        Duration.ofSeconds(60));
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getEventId())
                .startsWith("s3:big/in/big.bin@")
                .endsWith(":s3:ObjectCreated:CompleteMultipartUpload");
        assertThat(new String(results.get(0).getData().array(), StandardCharsets.UTF_8))
                .contains("\"SIZE\":" + bytes.length);
    }

    @Test
    void receiverRestartedMidBurstAndRepeatedNotificationsYieldOneResultPerUpload()
            throws Exception {
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "burst-echo",
                        "handler",
                        Upper.class.getName(),
                        "triggers",
                        List.of("s3:bucket=burst")),
                "hello.jar",
                jarOf(Upper.class));
        s3.makeBucket(io.minio.MakeBucketArgs.builder().bucket("burst").build());
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < 45; i++) {
            if (i == 15) {
                platform.stopControlServer(); // the receiver is gone: the store queues
            }
            if (i == 30) {
                platform.startControlServer();
            }
            String key = "k-" + i;
            byte[] body = ("object " + i).getBytes(StandardCharsets.UTF_8);
            s3.putObject(
                    PutObjectArgs.builder().bucket("burst").object(key).stream(
                                    new ByteArrayInputStream(body), (long) body.length, -1L)
                            .build());
            keys.add(key);
        }
        // as MinIO retrying a notification whose 200 it never saw: three times the same one
        String token = Files.readString(dir.resolve("s3-webhook-token")).trim();
        byte[] repeated = minioNotification("burst", "replayed", "17F0A2B3C4D5E6F7");
        for (int i = 0; i < 3; i++) {
            assertThat(postWebhook(repeated, token).statusCode()).isEqualTo(200);
        }
        keys.add("replayed");

        List<InvocationResult> results =
                read(
                        Topics.RESULTS,
                        AvroCodec.of(InvocationResult.class),
                        r -> r.getFunction().equals("burst-echo"),
                        keys.size(),
                        Duration.ofSeconds(90));
        Map<String, Long> perKey =
                results.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> keyOf(r.getEventId()), Collectors.counting()));
        assertThat(perKey.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(perKey.values()).as("one result per upload").allMatch(n -> n == 1);
    }

    @Test
    void theWebhookRefusesWrongTokensAndMalformedJsonPublishingNothing() throws Exception {
        String token = Files.readString(dir.resolve("s3-webhook-token")).trim();
        assertThat(
                        Files.getPosixFilePermissions(dir.resolve("s3-webhook-token"))
                                .containsAll(PosixFilePermissions.fromString("rw-------")))
                .isTrue();
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(dir.resolve("s3-webhook-token"))))
                .isEqualTo("rw-------");
        byte[] good = minioNotification("nobody", "x", "1");

        HttpResponse<String> noToken = postWebhook(good, null);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.body()).contains("missing or wrong webhook token").doesNotContain(token);
        assertThat(postWebhook(good, token + "x").statusCode()).isEqualTo(401);

        HttpResponse<String> notJson =
                postWebhook("{\"Records\": [".getBytes(StandardCharsets.UTF_8), token);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not a bucket notification").contains("not JSON");
        HttpResponse<String> noKey =
                postWebhook(
                        ("{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"eventTime\":"
                                        + "\"2026-11-24T10:00:00Z\",\"s3\":{\"bucket\":{\"name\":"
                                        + "\"malformed\"},\"object\":{}}}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        token);
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.body()).contains("Records[0].s3.object.key is missing");

        List<dev.flowfn.schemas.Event> published =
                read(
                        Topics.EVENTS,
                        AvroCodec.of(dev.flowfn.schemas.Event.class),
                        e -> e.getSource().equals("s3://malformed"),
                        1,
                        Duration.ofSeconds(3));
        assertThat(published).isEmpty();
    }

    private static String keyOf(String eventId) {
        // s3:<bucket>/<key>@<sequencer>:<eventName>
        return eventId.substring(eventId.indexOf('/') + 1, eventId.indexOf('@'));
    }

    private static long sequencerMillis(String eventId) {
        String seq =
                eventId.substring(
                        eventId.indexOf('@') + 1, eventId.indexOf(':', eventId.indexOf('@')));
        return Long.parseUnsignedLong(seq, 16) / 1_000_000;
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static byte[] minioNotification(String bucket, String key, String sequencer) {
        return ("{\"EventName\":\"s3:ObjectCreated:Put\",\"Key\":\""
                        + bucket
                        + "/"
                        + key
                        + "\",\"Records\":[{\"eventVersion\":\"2.0\",\"eventSource\":\"minio:s3\","
                        + "\"awsRegion\":\"\",\"eventTime\":\"2026-11-24T10:00:00.000Z\","
                        + "\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"s3SchemaVersion\":\"1.0\","
                        + "\"configurationId\":\"Config\",\"bucket\":{\"name\":\""
                        + bucket
                        + "\"},"
                        + "\"object\":{\"key\":\""
                        + key
                        + "\",\"size\":3,\"eTag\":\"abc\","
                        + "\"sequencer\":\""
                        + sequencer
                        + "\"}}}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> postWebhook(byte[] body, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(platform.s3WebhookUrl()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] jpeg(int w, int h, Random random) throws Exception {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0xffffff)));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(random.nextInt(0xffffff)));
        g.fillOval(w / 5, h / 5, w / 2, h / 2);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static byte[] jarOf(Class<?> c) throws Exception {
        return Files.readAllBytes(
                Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    /**
     * Reads {@code topic} from the beginning as a read_committed consumer until {@code count}
     * matching records came or the timeout passed, then 2 s more (a duplicate would show).
     */
    static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
            String topic,
            AvroCodec<T> codec,
            java.util.function.Predicate<T> which,
            int count,
            Duration timeout) {
        return ResultsReader.read(platform.kafkaBootstrap(), topic, codec, which, count, timeout);
    }
}
