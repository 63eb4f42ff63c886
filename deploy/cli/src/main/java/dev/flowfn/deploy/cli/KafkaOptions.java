package dev.flowfn.deploy.cli;

import dev.flowfn.kafka.KafkaClientConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a command is told which Kafka cluster to use, declared once for every command that takes one
 * ({@code local}, {@code server}, {@code submit}, {@code scale}, {@code tail}): bootstrap servers
 * alone, or a client properties file that also carries SASL and TLS settings. The file is read,
 * never printed and never copied anywhere by Flowfn.
 */
final class KafkaOptions {

    @Option(
            names = "--kafka",
            paramLabel = "HOST:PORT",
            description =
                    "Kafka bootstrap servers, HOST:PORT[,HOST:PORT...] (a cluster without SASL or TLS;"
                            + " else --kafka-config)")
    String bootstrap;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "A Kafka client properties file: bootstrap.servers and any client property (SASL,"
                            + " TLS...); read, never printed or stored")
    Path file;

    /** Where the client properties came from, for messages that name one to check. */
    String source() {
        return file == null ? "" : " (in --kafka-config " + file + ")";
    }

    /** Whether either option was given. */
    boolean given() {
        return bootstrap != null || file != null;
    }

    /**
     * The configuration of exactly one of the two options.
     *
     * @throws UsageException if neither or both are given, or the value is bad
     */
    KafkaClientConfig required() {
        if ((bootstrap == null) == (file == null)) {
            throw new UsageException(
                    "give exactly one of --kafka HOST:PORT or --kafka-config FILE (a Kafka client"
                            + " properties file with bootstrap.servers)");
        }
        return optional().orElseThrow();
    }

    /**
     * The configuration given; empty if neither option is.
     *
     * @throws UsageException if both are given, or the value is bad
     */
    Optional<KafkaClientConfig> optional() {
        if (bootstrap != null && file != null) {
            throw new UsageException(
                    "give exactly one of --kafka HOST:PORT or --kafka-config FILE; put"
                            + " bootstrap.servers in the file");
        }
        if (file != null) {
            try {
                return Optional.of(KafkaClientConfig.load(file));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (bootstrap == null) {
            return Optional.empty();
        }
        if (!bootstrap.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
            throw new UsageException(
                    "--kafka must be HOST:PORT[,HOST:PORT...], like kafka:9092 (got '"
                            + bootstrap
                            + "')");
        }
        return Optional.of(KafkaClientConfig.of(bootstrap));
    }
}
