package dev.flowfn.deploy.local.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the Kafka broker and the S3 store as child JVMs on one data folder, writes a record and an
 * object, stops both, starts them again on the same folder and reads both back on the same ports.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalEnginesIT {

    private static final String TOPIC = "flowfn.it";
    private static final String GROUP = "flowfn-it";
    private static final String BUCKET = "flowfn-it";
    private static final String OBJECT = "dir/hello.txt";
    private static final byte[] CONTENT = "hello from flowfn\n".getBytes(StandardCharsets.UTF_8);

    @TempDir Path dir;

    @Test
    void recordsObjectsAndPortsSurviveARestart() throws Exception {
        S3Credentials credentials =
                S3Credentials.loadOrCreate(dir.resolve("s3-credentials.properties"));
        String bootstrap;
        String endpoint;

        try (KafkaBrokerProcess kafka = timed("kafka first start", this::startKafka);
                S3StoreProcess s3 = timed("s3 first start", () -> startS3(credentials))) {
            bootstrap = kafka.bootstrapServers();
            endpoint = s3.endpoint();
            assertThat(bootstrap).startsWith("127.0.0.1:");
            assertThat(endpoint).startsWith("http://127.0.0.1:");

            try (Admin admin = admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
                Config config =
                        admin.describeConfigs(List.of(broker))
                                .all()
                                .get(30, TimeUnit.SECONDS)
                                .get(broker);
                assertThat(Long.parseLong(config.get("transaction.max.timeout.ms").value()))
                        .isGreaterThanOrEqualTo(900_000);
            }
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>(TOPIC, "k1", "v1")).get(30, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap, GROUP)) {
                consumer.subscribe(List.of(TOPIC));
                assertThat(pollValues(consumer, 1)).containsExactly("v1");
                consumer.commitSync();
            }
            try (MinioClient minio = minio(endpoint, credentials)) {
                minio.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
                minio.putObject(
                        PutObjectArgs.builder()
                                .bucket(BUCKET)
                                .object(OBJECT)
                                .data(CONTENT, CONTENT.length)
                                .contentType("text/plain")
                                .build());
                assertThat(get(minio, BUCKET, OBJECT)).isEqualTo(CONTENT);
            }
            try (MinioClient wrongSecret =
                    minio(endpoint, new S3Credentials(credentials.accessKey(), "not-the-secret"))) {
                assertThatThrownBy(() -> get(wrongSecret, BUCKET, OBJECT))
                        .isInstanceOfSatisfying(
                                ErrorResponseException.class,
                                e ->
                                        assertThat(e.errorResponse().code())
                                                .isEqualTo("SignatureDoesNotMatch"));
            }
        }
        // both stopped: their ports are free again, and the secret never reached the store's log
        PersistedPorts.loadOrAllocate(dir.resolve("kafka/ports.properties"), "broker", "controller")
                .requireFree("kafka");
        PersistedPorts.loadOrAllocate(dir.resolve("s3/ports.properties"), "s3").requireFree("s3");
        assertThat(Files.readString(dir.resolve("logs/s3.log")))
                .contains("READY " + endpoint)
                .doesNotContain(credentials.secretKey());

        try (KafkaBrokerProcess kafka = timed("kafka restart", this::startKafka);
                S3StoreProcess s3 = timed("s3 restart", () -> startS3(credentials))) {
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(s3.endpoint()).isEqualTo(endpoint);

            try (KafkaConsumer<String, String> consumer = consumer(bootstrap, "flowfn-it-reader")) {
                TopicPartition partition = new TopicPartition(TOPIC, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                assertThat(pollValues(consumer, 1)).containsExactly("v1");
            }
            try (Admin admin = admin(bootstrap)) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(GROUP)
                                .partitionsToOffsetAndMetadata()
                                .get(30, TimeUnit.SECONDS);
                assertThat(committed.get(new TopicPartition(TOPIC, 0)).offset()).isEqualTo(1);
            }
            try (MinioClient minio = minio(endpoint, credentials)) {
                assertThat(minio.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build()))
                        .isTrue();
                assertThat(get(minio, BUCKET, OBJECT)).isEqualTo(CONTENT);
            }
        }
    }

    private KafkaBrokerProcess startKafka() throws Exception {
        return KafkaBrokerProcess.start(dir.resolve("kafka"), dir.resolve("logs/kafka.log"));
    }

    private S3StoreProcess startS3(S3Credentials credentials) throws Exception {
        return S3StoreProcess.start(dir.resolve("s3"), credentials, dir.resolve("logs/s3.log"));
    }

    private interface Start<T> {
        T run() throws Exception;
    }

    private static <T> T timed(String what, Start<T> start) throws Exception {
        long begin = System.nanoTime();
        T started = start.run();
        System.out.printf("%s: ready in %d ms%n", what, (System.nanoTime() - begin) / 1_000_000);
        return started;
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int count) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                values.add(record.value());
            }
        }
        return values;
    }

    private static byte[] get(MinioClient minio, String bucket, String object) throws Exception {
        try (GetObjectResponse in =
                minio.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
            return in.readAllBytes();
        }
    }

    private static MinioClient minio(String endpoint, S3Credentials credentials) {
        return MinioClient.builder()
                .endpoint(endpoint)
                .credentials(credentials.accessKey(), credentials.secretKey())
                .build();
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
