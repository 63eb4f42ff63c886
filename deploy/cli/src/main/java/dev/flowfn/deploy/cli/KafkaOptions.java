package dev.flowfn.deploy.cli;

import dev.flowfn.kafka.KafkaClientConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a command reaches Kafka: {@code --kafka HOST:PORT} or {@code --kafka-config FILE}. */
final class KafkaOptions {

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
    String kafka;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "A Kafka client properties file: bootstrap.servers and any client property (SASL,"
                            + " TLS...); never printed. Give this or --kafka")
    Path kafkaConfig;

    /** The configuration given; a usage error when neither or both are. */
    KafkaClientConfig config() {
        if ((kafka == null) == (kafkaConfig == null)) {
            throw new UsageException(
                    "give exactly one of --kafka HOST:PORT or --kafka-config FILE (a Kafka client"
                            + " properties file with bootstrap.servers)");
        }
        if (kafkaConfig != null) {
            try {
                return KafkaClientConfig.load(kafkaConfig);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (!kafka.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
            throw new UsageException(
                    "--kafka must be HOST:PORT[,HOST:PORT...], like kafka:9092 (got '"
                            + kafka
                            + "')");
        }
        return KafkaClientConfig.of(kafka);
    }
}
