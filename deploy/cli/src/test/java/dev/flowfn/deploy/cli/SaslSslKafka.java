package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.local.engines.ChildJvm;
import dev.flowfn.deploy.local.engines.EngineClasspath;
import dev.flowfn.kafka.KafkaClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka 4.2 broker (KRaft, combined mode) whose only client listener is SASL_SSL on
 * 127.0.0.1, and which also wants a client certificate (mutual TLS): a client needs the trust
 * store, its key store and a SASL login. It runs as its own JVM from the {@code kafka-broker}
 * engine class path, as {@code KafkaBrokerProcess} runs the broker of {@code flowfn local}.
 *
 * <ul>
 *   <li>SCRAM-SHA-512 user {@value #SCRAM_USER}: its credential is written into the cluster
 *       metadata when the storage is formatted ({@code kafka-storage format --add-scram}).
 *   <li>PLAIN user {@value #PLAIN_USER}, from the listener's JAAS configuration.
 *   <li>Broker to broker (the transaction coordinator's markers go to the partition leader over the
 *       network, even on one node) uses the same SASL_SSL listener, as PLAIN user {@code broker}.
 *       The controller listener is PLAINTEXT, on 127.0.0.1: it answers controller requests only, so
 *       no record can be produced or read there.
 * </ul>
 *
 * <p>Keys are made now: {@code keytool -genkeypair} (JDK) makes a self-signed EC key pair for the
 * broker (SAN IP:127.0.0.1) and one for the client; the trust store holds both certificates. Every
 * password is random, new for each run. Topics are not created on first use, as on most secured
 * clusters.
 */
final class SaslSslKafka implements AutoCloseable {

    static final String SCRAM_USER = "flowfn";
    static final String PLAIN_USER = "tail";
    private static final String ENGINE = "kafka-broker";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final ChildJvm jvm;
    private final Passwords passwords;

    /** Every password of this broker and its clients, new for each run. */
    record Passwords(
            String scram,
            String plain,
            String broker,
            String brokerStore,
            String clientStore,
            String trustStore) {

        static Passwords random() {
            return new Passwords(
                    "scram-" + hex(),
                    "plain-" + hex(),
                    "broker-" + hex(),
                    "bks-" + hex(),
                    "cks-" + hex(),
                    "tks-" + hex());
        }

        List<String> all() {
            return List.of(scram, plain, broker, brokerStore, clientStore, trustStore);
        }
    }

    private SaslSslKafka(Path dir, int port, ChildJvm jvm, Passwords passwords) {
        this.dir = dir;
        this.port = port;
        this.jvm = jvm;
        this.passwords = passwords;
    }

    /**
     * Makes the keys, formats the storage under {@code dir}, starts the broker and waits for it.
     */
    static SaslSslKafka start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Passwords pw = Passwords.random();
        Path brokerKeys = dir.resolve("broker.p12");
        Path clientKeys = dir.resolve("client.p12");
        Process broker = keytool(brokerKeys, "broker", "CN=127.0.0.1", pw.brokerStore(), true);
        Process client = keytool(clientKeys, "client", "CN=flowfn-client", pw.clientStore(), false);
        awaitTool(broker, "keytool (broker key)");
        awaitTool(client, "keytool (client key)");
        trustStore(
                dir.resolve("truststore.p12"),
                pw.trustStore(),
                Map.of(brokerKeys, pw.brokerStore(), clientKeys, pw.clientStore()));

        int port = freePort();
        int controllerPort = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(dir, port, controllerPort, pw));
        String classpath = EngineClasspath.locate().classpath(ENGINE);
        String clusterId = Uuid.randomUuid().toString();
        ChildJvm format =
                ChildJvm.builder("kafka-storage-format", "kafka.tools.StorageTool")
                        .classpath(classpath)
                        .jvmOptions("-Xmx256m")
                        .args(
                                "format",
                                "-t",
                                clusterId,
                                "-c",
                                config.toString(),
                                "--add-scram",
                                "SCRAM-SHA-512=[name=%s,password=%s]"
                                        .formatted(SCRAM_USER, pw.scram()))
                        .logFile(dir.resolve("format.log"))
                        .start();
        if (format.awaitExit(Duration.ofSeconds(60)) != 0) {
            throw new IllegalStateException("kafka-storage format failed:\n" + format.output(8192));
        }
        ChildJvm jvm =
                ChildJvm.builder("sasl-ssl-kafka", "kafka.Kafka")
                        .classpath(classpath)
                        .jvmOptions("-Xmx384m", "-XX:+UseSerialGC", "-Djava.awt.headless=true")
                        .args(config.toString())
                        .logFile(dir.resolve("kafka.log"))
                        .start();
        SaslSslKafka kafka = new SaslSslKafka(dir, port, jvm, pw);
        try {
            kafka.awaitReady();
            return kafka;
        } catch (Exception | Error e) {
            jvm.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    Passwords passwords() {
        return passwords;
    }

    /** Where the broker writes its log (for failure messages). */
    Path logFile() {
        return jvm.logFile();
    }

    /**
     * The client properties of user {@value #SCRAM_USER} (SCRAM-SHA-512, mutual TLS), as a user
     * writes them in the file of {@code --kafka-config}.
     */
    Map<String, String> scramClient() {
        return client(
                "SCRAM-SHA-512",
                "org.apache.kafka.common.security.scram.ScramLoginModule",
                SCRAM_USER,
                passwords.scram());
    }

    /** The client properties of user {@value #PLAIN_USER} (SASL/PLAIN, mutual TLS). */
    Map<String, String> plainClient() {
        return client(
                "PLAIN",
                "org.apache.kafka.common.security.plain.PlainLoginModule",
                PLAIN_USER,
                passwords.plain());
    }

    private Map<String, String> client(
            String mechanism, String loginModule, String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", mechanism);
        p.put(
                "sasl.jaas.config",
                "%s required username=\"%s\" password=\"%s\";"
                        .formatted(loginModule, user, password));
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", dir.resolve("truststore.p12").toString());
        p.put("ssl.truststore.password", passwords.trustStore());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", dir.resolve("client.p12").toString());
        p.put("ssl.keystore.password", passwords.clientStore());
        p.put("ssl.key.password", passwords.clientStore());
        return p;
    }

    /** Writes {@code properties} as a Java properties file (values hold no backslash). */
    static Path write(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder("# a Kafka client configuration\n");
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(file, text.toString());
    }

    /** Creates topics (the broker creates none on first use). */
    void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code records} (key to value) as user {@value #SCRAM_USER}, each acknowledged. */
    void send(String topic, Map<String, String> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        scramConfig().producerProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (Map.Entry<String, String> r : records.entrySet()) {
                producer.send(new ProducerRecord<>(topic, utf8(r.getKey()), utf8(r.getValue())))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The records of {@code topic} that match, read from the beginning as a read_committed consumer
     * of user {@value #SCRAM_USER}, once {@code count} came or {@code timeout} passed, plus 2 s (a
     * duplicate would show).
     */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> which,
            int count,
            Duration timeout) {
        Map<String, Object> p =
                scramConfig()
                        .consumerProperties(
                                Map.of(
                                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (which.test(r)) {
                        out.add(r);
                    }
                }
                if (out.size() >= count && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        jvm.close();
    }

    private KafkaClientConfig scramConfig() {
        return KafkaClientConfig.fromProperties(scramClient());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, Object> adminProperties() {
        return scramConfig()
                .adminProperties(
                        Map.of(
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"));
    }

    /** Until user {@value #SCRAM_USER} is let in over SASL_SSL and sees the broker. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminProperties())) {
            while (true) {
                if (!jvm.isAlive()) {
                    throw new IllegalStateException(
                            "the SASL_SSL broker exited during startup:\n" + jvm.outputTail(40));
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "the SASL_SSL broker did not answer within %d s (%s):%n%s"
                                        .formatted(
                                                READY_TIMEOUT.toSeconds(),
                                                notYet,
                                                jvm.outputTail(40)));
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    private static String serverProperties(Path dir, int port, int controllerPort, Passwords pw) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put(
                "listeners",
                "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "CLIENT:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "CLIENT");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put(
                "listener.name.client.plain.sasl.jaas.config",
                ("org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\"broker\" password=\"%1$s\" user_broker=\"%1$s\""
                                + " user_%2$s=\"%3$s\";")
                        .formatted(pw.broker(), PLAIN_USER, pw.plain()));
        p.put(
                "listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", dir.resolve("broker.p12").toAbsolutePath().toString());
        p.put("ssl.keystore.password", pw.brokerStore());
        p.put("ssl.key.password", pw.brokerStore());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", dir.resolve("truststore.p12").toAbsolutePath().toString());
        p.put("ssl.truststore.password", pw.trustStore());
        p.put("ssl.client.auth", "required");
        p.put("log.dirs", dir.resolve("logs").toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("transaction.max.timeout.ms", "900000");
        p.put("auto.create.topics.enable", "false");
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /** Starts {@code keytool -genkeypair}: a self-signed EC key pair in a new PKCS12 store. */
    private static Process keytool(
            Path store, String alias, String dname, String password, boolean localhostSan)
            throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-noprompt",
                                "-alias",
                                alias,
                                "-keyalg",
                                "EC",
                                "-groupname",
                                "secp256r1",
                                "-dname",
                                dname,
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                password,
                                "-keypass",
                                password));
        if (localhostSan) {
            command.addAll(List.of("-ext", "SAN=IP:127.0.0.1"));
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void awaitTool(Process p, String what) throws Exception {
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(what + " failed: " + out);
        }
    }

    /** A PKCS12 trust store holding the certificate of each key store. */
    private static void trustStore(Path file, String password, Map<Path, String> keyStores)
            throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (Map.Entry<Path, String> e : keyStores.entrySet()) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(e.getKey())) {
                keys.load(in, e.getValue().toCharArray());
            }
            String alias = keys.aliases().nextElement();
            trust.setCertificateEntry(alias, keys.getCertificate(alias));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, password.toCharArray());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String hex() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
