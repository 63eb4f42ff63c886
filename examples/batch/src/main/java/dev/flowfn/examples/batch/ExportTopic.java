package dev.flowfn.examples.batch;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Writes the records of Kafka topic {@code TOPIC} whose timestamps fall in the hour before the
 * tick's scheduled time ({@code WINDOW}, default 1h) to {@code BUCKET} as one Avro container file
 * named by that range: {@code <PREFIX><from>--<to>.avro}. Running the same hour again (a retry, a
 * tick fired again) reads the same records and overwrites the same object: idempotent.
 *
 * <p>Settings: {@code TOPIC}, {@code BUCKET}, {@code KAFKA_BOOTSTRAP_SERVERS}, optional {@code
 * PREFIX} (default {@code TOPIC/}) and {@code WINDOW}; the object store as in {@link S3Env}.
 * Records are read {@code read_committed}; each becomes an {@code ExportedRecord} (topic,
 * partition, offset, timestamp, key, value, headers are not kept).
 */
public final class ExportTopic implements Handler {

    static final Schema SCHEMA =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"ExportedRecord\","
                                    + "\"namespace\":\"dev.flowfn.examples.batch\",\"fields\":["
                                    + "{\"name\":\"topic\",\"type\":\"string\"},"
                                    + "{\"name\":\"partition\",\"type\":\"int\"},"
                                    + "{\"name\":\"offset\",\"type\":\"long\"},"
                                    + "{\"name\":\"timestamp\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"key\",\"type\":[\"null\",\"bytes\"],\"default\":null},"
                                    + "{\"name\":\"value\",\"type\":[\"null\",\"bytes\"],\"default\":null}]}");

    private static final DateTimeFormatter NAME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern SCHEDULED =
            Pattern.compile("\"scheduledTime\"\\s*:\\s*\"([^\"]+)\"");

    @Override
    public Result handle(Event event, Context context) throws Exception {
        String topic = Settings.required(context, "TOPIC");
        String bucket = Settings.required(context, "BUCKET");
        String bootstrap = Settings.required(context, "KAFKA_BOOTSTRAP_SERVERS");
        String prefix = context.env("PREFIX").orElse(topic + "/");
        Duration window = Duration.parse("PT" + context.env("WINDOW").orElse("1h").toUpperCase());
        Instant to = scheduledTime(event);
        Instant from = to.minus(window);
        String key = objectKey(prefix, from, to);

        Path file = Files.createTempFile("export-", ".avro");
        try {
            long records = export(bootstrap, topic, from, to, file, context);
            long size = Files.size(file);
            try (MinioClient s3 = S3Env.client(context);
                    InputStream in = Files.newInputStream(file)) {
                s3.putObject(
                        PutObjectArgs.builder().bucket(bucket).object(key).stream(in, size, -1L)
                                .contentType("avro/binary")
                                .build());
            }
            context.logger()
                    .info(
                            "wrote "
                                    + records
                                    + " records of "
                                    + topic
                                    + " to "
                                    + bucket
                                    + "/"
                                    + key);
            return Result.json(
                    "{\"object\":\"s3://"
                            + bucket
                            + "/"
                            + key
                            + "\",\"records\":"
                            + records
                            + ",\"bytes\":"
                            + size
                            + ",\"from\":\""
                            + from
                            + "\",\"to\":\""
                            + to
                            + "\"}");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The tick's scheduled time (timer.tick data), else the event's time. */
    static Instant scheduledTime(Event event) {
        String data = event.dataAsString();
        Matcher m = SCHEDULED.matcher(data == null ? "" : data);
        if (m.find()) {
            return Instant.parse(m.group(1));
        }
        return event.time() != null ? event.time() : Instant.now();
    }

    static String objectKey(String prefix, Instant from, Instant to) {
        return prefix + NAME.format(from) + "--" + NAME.format(to) + ".avro";
    }

    /** Reads [from, to) of every partition into an Avro container file; returns the count. */
    private static long export(
            String bootstrap, String topic, Instant from, Instant to, Path file, Context context)
            throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(
                                p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                DataFileWriter<GenericRecord> writer =
                        new DataFileWriter<GenericRecord>(new GenericDatumWriter<>(SCHEMA))
                                .setCodec(CodecFactory.deflateCodec(1))
                                .create(SCHEMA, file.toFile())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException(
                        "topic '" + topic + "' does not exist; check TOPIC");
            }
            Map<TopicPartition, Long> start = offsetsAt(consumer, partitions, from);
            Map<TopicPartition, Long> end = offsetsAt(consumer, partitions, to);
            consumer.assign(partitions);
            start.forEach(consumer::seek);
            long total = 0;
            for (TopicPartition tp : partitions) {
                total += end.get(tp) - start.get(tp);
            }
            long nextReport = 10_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= end.get(tp) || r.timestamp() < from.toEpochMilli()) {
                        continue; // past the window, or an out-of-order earlier timestamp
                    }
                    GenericRecord out = new GenericData.Record(SCHEMA);
                    out.put("topic", r.topic());
                    out.put("partition", r.partition());
                    out.put("offset", r.offset());
                    out.put("timestamp", r.timestamp());
                    out.put("key", r.key() == null ? null : ByteBuffer.wrap(r.key()));
                    out.put("value", r.value() == null ? null : ByteBuffer.wrap(r.value()));
                    writer.append(out);
                    count++;
                    if (count >= nextReport) {
                        context.progress(
                                total == 0 ? Double.NaN : Math.min(1.0, (double) count / total),
                                "exported " + count + " records");
                        nextReport += 10_000;
                    }
                }
            }
        }
        return count;
    }

    /** The first offset of each partition with a timestamp at or after {@code t}, else its end. */
    private static Map<TopicPartition, Long> offsetsAt(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant t) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, t.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            out.put(tp, o == null ? ends.get(tp) : o.offset());
        }
        return out;
    }
}
