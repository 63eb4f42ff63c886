package dev.flowfn.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowfn.deploy.local.DataDir;
import dev.flowfn.deploy.tail.RecordJson;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.kafka.KafkaClientFailure;
import dev.flowfn.kafka.SchemaTopic;
import dev.flowfn.schemas.SchemaCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Print the records of a Kafka topic as JSON lines, one per record: partition, offset,"
                    + " time, key and the decoded value. Avro records (single-object encoding) are"
                    + " decoded with the schemas of the flowfn.schemas topic (every Flowfn topic;"
                    + " --schema for your own); text as a string or the JSON it holds; other bytes"
                    + " with \\xNN escapes.",
            "Reads committed records only. Follows new records until Ctrl-C or --max. Without --kafka"
                    + " or --kafka-config it reads $FLOWFN_KAFKA, else the broker of 'flowfn local'.",
            "Examples: flowfn tail iot.records --from-beginning; flowfn tail mqtt.raw --max 10"
        })
final class TailCommand extends CliCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    @Parameters(
            paramLabel = "TOPIC",
            description = "The topic, e.g. iot.records, mqtt.raw, flowfn.dlq")
    String topic;

    /** Default: $FLOWFN_KAFKA, else the broker of the local platform in the data folder. */
    @Mixin KafkaOptions kafka;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "The local platform's data folder (default: $FLOWFN_DATA_DIR, else ~/.flowfn)")
    Path dataDir;

    @Option(names = "--from-beginning", description = "Start at the oldest record, not at the end")
    boolean fromBeginning;

    @Option(
            names = "--max",
            paramLabel = "N",
            description = "Stop after N records (default: follow until interrupted)")
    Integer max;

    @Option(
            names = "--schema",
            paramLabel = "FILE",
            description =
                    "An Avro schema (.avsc) to decode records whose schema is not on flowfn.schemas (repeatable)")
    List<Path> schemas = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (max != null && max < 1) {
            throw new CliException("--max must be 1 or more (got " + max + ")");
        }
        KafkaClientConfig kafkaClient = kafkaClient();
        try {
            return tail(kafkaClient);
        } catch (KafkaException e) {
            // a login refused, a failed TLS handshake, a missing ACL: say which and what to check
            throw new CliException(
                    KafkaClientFailure.describe(e, kafkaClient, ANSWER_TIMEOUT) + kafka.source());
        }
    }

    private int tail(KafkaClientConfig kafkaClient) throws IOException {
        String bootstrap = kafkaClient.bootstrapServers();
        SchemaCatalog catalog = new SchemaCatalog(new SchemaTopic(kafkaClient).asFallback());
        for (Path file : schemas) {
            try {
                catalog.add(new Schema.Parser().parse(file.toFile()));
            } catch (SchemaParseException | IOException e) {
                throw new CliException(
                        "--schema " + file + " is not an Avro schema: " + e.getMessage());
            }
        }
        RecordJson json = new RecordJson(catalog);
        Map<String, Object> p =
                kafkaClient.consumerProperties(
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.CLIENT_ID_CONFIG, "flowfn-tail",
                                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                        Long.toString(ANSWER_TIMEOUT.toMillis())));
        PrintWriter out = out();
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, ANSWER_TIMEOUT);
            } catch (TimeoutException e) {
                throw new CliException(
                        KafkaClientFailure.noAnswer(kafkaClient, ANSWER_TIMEOUT) + kafka.source());
            }
            if (infos == null || infos.isEmpty()) {
                throw new CliException(
                        "topic '"
                                + topic
                                + "' does not exist at "
                                + bootstrap
                                + " (list them with kcat -L)");
            }
            List<TopicPartition> partitions =
                    infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            while (max == null || printed < max) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("partition", r.partition());
                    line.put("offset", r.offset());
                    line.put("time", Instant.ofEpochMilli(r.timestamp()).toString());
                    line.set("key", json.key(r.key()));
                    line.set("value", json.value(r.value()));
                    out.println(JSON.writeValueAsString(line));
                    if (max != null && ++printed >= max) {
                        break;
                    }
                }
                out.flush();
            }
        }
        return 0;
    }

    private KafkaClientConfig kafkaClient() throws IOException {
        Optional<KafkaClientConfig> given = kafka.optional();
        return given.isPresent() ? given.get() : KafkaClientConfig.of(bootstrap());
    }

    private String bootstrap() throws IOException {
        String env = System.getenv("FLOWFN_KAFKA");
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path ports = DataDir.resolve(dataDir).kafka().resolve("ports.properties");
        if (!Files.exists(ports)) {
            throw new CliException(
                    "no Kafka to read from: pass --kafka HOST:PORT or set $FLOWFN_KAFKA, or start"
                            + " ./flowfn local (no "
                            + ports
                            + ")");
        }
        Properties saved = new Properties();
        try (Reader reader = Files.newBufferedReader(ports)) {
            saved.load(reader);
        }
        return "127.0.0.1:" + saved.getProperty("broker");
    }
}
