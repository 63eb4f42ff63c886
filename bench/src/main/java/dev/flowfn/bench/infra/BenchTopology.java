package dev.flowfn.bench.infra;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code flowfn topology} started for a scenario: its endpoints ({@code DIR/topology.properties}),
 * a client of its Kafka, and the S3 keys its commands need. Closing stops the whole topology.
 */
public final class BenchTopology implements AutoCloseable {

    private final FlowfnLocalProcess process;
    private final Properties endpoints;
    private final BenchKafka kafka;

    private BenchTopology(FlowfnLocalProcess process, Properties endpoints) {
        this.process = process;
        this.endpoints = endpoints;
        this.kafka = BenchKafka.external(endpoints.getProperty("kafka.bootstrap"));
    }

    /** {@code flowfn topology --dir DIR ARGS}, running (a few minutes at most). */
    public static BenchTopology start(Path home, Path dir, List<String> args) throws Exception {
        FlowfnLocalProcess process =
                FlowfnLocalProcess.startTopology(home, dir, args, Duration.ofMinutes(8));
        try {
            return new BenchTopology(process, load(dir.resolve("topology.properties")));
        } catch (Exception e) {
            process.close();
            throw e;
        }
    }

    /** An endpoint of {@code topology.properties}, e.g. {@code flink.rest}. */
    public String endpoint(String name) {
        return endpoints.getProperty(name);
    }

    public BenchKafka kafka() {
        return kafka;
    }

    public FlowfnLocalProcess process() {
        return process;
    }

    /** A topic of {@code partitions} partitions, one replica. */
    public void createTopic(String name, int partitions) throws Exception {
        kafka.createTopics(List.of(name), partitions);
    }

    /** The environment a {@code flowfn} command needs for the topology's S3 store. */
    public Map<String, String> s3Environment() throws Exception {
        Properties s3 = load(Path.of(endpoint("s3.credentials.file")));
        return Map.of(
                "FLOWFN_S3_ACCESS_KEY", s3.getProperty("access.key"),
                "FLOWFN_S3_SECRET_KEY", s3.getProperty("secret.key"));
    }

    @Override
    public void close() throws Exception {
        kafka.close();
        process.close();
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
