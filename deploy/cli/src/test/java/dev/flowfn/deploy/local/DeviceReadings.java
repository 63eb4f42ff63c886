package dev.flowfn.deploy.local;

import dev.flowfn.deploy.local.engines.EngineClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * The iot-logs example as the MQTT tests use it: its jar, and its {@code DeviceReading} records on
 * {@code iot.records} decoded as any consumer would (the schema file, not the example's classes).
 */
final class DeviceReadings {

    static final String TOPIC = "iot.records";

    private static final Path HOME = EngineClasspath.locate().home();
    static final Path AVSC = HOME.resolve("examples/iot-logs/src/main/avro/DeviceReading.avsc");

    private DeviceReadings() {}

    static byte[] jar() throws IOException {
        return Files.readAllBytes(HOME.resolve("examples/iot-logs/target/iot-logs.jar"));
    }

    static Schema schema() {
        try {
            return new Schema.Parser().parse(AVSC.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads {@code iot.records} (read_committed) from the beginning until {@code count} readings
     * that match came or the timeout passed.
     */
    static List<GenericRecord> read(
            String bootstrap, Predicate<GenericRecord> which, int count, Duration timeout) {
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema());
        List<GenericRecord> out = new ArrayList<>();
        int[] decoded = {0};
        KafkaTopics.read(
                bootstrap,
                TOPIC,
                rs -> {
                    for (; decoded[0] < rs.size(); decoded[0]++) {
                        byte[] v = rs.get(decoded[0]).value();
                        try { // single-object encoding: 2 marker bytes, 8 of fingerprint
                            GenericRecord r =
                                    reader.read(
                                            null,
                                            DecoderFactory.get()
                                                    .binaryDecoder(v, 10, v.length - 10, null));
                            if (which.test(r)) {
                                out.add(r);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return out.size() >= count;
                },
                timeout);
        return out;
    }

    /** The {@code seq} metric of each reading, by device, in the order they were read. */
    static Map<String, List<Integer>> seqsByDevice(List<GenericRecord> readings) {
        Map<String, List<Integer>> seqs = new TreeMap<>();
        for (GenericRecord r : readings) {
            @SuppressWarnings("unchecked")
            Map<Object, Double> metrics = (Map<Object, Double>) r.get("metrics");
            int seq =
                    metrics.entrySet().stream()
                            .filter(e -> e.getKey().toString().equals("seq"))
                            .findFirst()
                            .orElseThrow()
                            .getValue()
                            .intValue();
            seqs.computeIfAbsent(r.get("device").toString(), k -> new ArrayList<>()).add(seq);
        }
        return seqs;
    }
}
