package dev.flowfn.examples.batch;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Turns a CSV file uploaded to a bucket into Avro records on Kafka topic {@code TOPIC} (Avro
 * single-object encoding, the schema from the header, see {@link CsvRows}; key = {@code <object
 * key>#<line>}). Bad rows do not stop the import: each becomes a reject on {@code REJECTS_TOPIC}
 * (default {@code <TOPIC>.rejects}), a JSON record with the file, line number, reason and the line
 * itself. The result summarises: lines, records, rejected, the first rejects.
 *
 * <p>Records and rejects are emitted through the context, so they are published in the invocation's
 * exactly-once transaction: a retried or redelivered upload never doubles them.
 *
 * <pre>
 * flowfn deploy --name import-csv --jar examples/batch/target/batch.jar \
 *     --handler dev.flowfn.examples.batch.ImportCsv \
 *     --trigger 's3:bucket=imports,suffix=.csv,events=put' --env TOPIC=orders
 * </pre>
 */
public final class ImportCsv implements Handler {

    static final int REJECTS_IN_RESULT = 10;
    private static final Pattern JSON_FIELD =
            Pattern.compile("\"(bucket|key)\"\\s*:\\s*\"([^\"]*)\"");

    @Override
    public Result handle(Event event, Context context) throws Exception {
        String topic = Settings.required(context, "TOPIC");
        String rejects = context.env("REJECTS_TOPIC").orElse(topic + ".rejects");
        String[] object = object(event);
        String bucket = object[0];
        String key = object[1];
        long lines = 0;
        long records = 0;
        List<String> firstRejects = new ArrayList<>();
        long rejected = 0;
        String schema;
        try (MinioClient s3 = S3Env.client(context);
                InputStream in =
                        s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(
                        "s3://" + bucket + "/" + key + " is empty; a CSV needs a header line");
            }
            CsvRows rows;
            try {
                rows = new CsvRows(header.replace("\uFEFF", ""), "Row");
            } catch (CsvRows.RejectedRow e) {
                throw new IllegalArgumentException(
                        "s3://" + bucket + "/" + key + ": " + e.getMessage());
            }
            schema = rows.schema().toString();
            BinaryMessageEncoder<GenericRecord> encoder =
                    new BinaryMessageEncoder<>(GenericData.get(), rows.schema());
            String line;
            long number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                String recordKey = key + "#" + number;
                try {
                    byte[] bytes = encoder.encode(rows.parse(line)).array();
                    context.emit(OutgoingEvent.record(topic, recordKey, bytes));
                    records++;
                } catch (CsvRows.RejectedRow e) {
                    rejected++;
                    String reason = "line " + number + ": " + e.getMessage();
                    context.emit(
                            OutgoingEvent.record(
                                    rejects,
                                    recordKey,
                                    reject(bucket, key, number, reason, line)
                                            .getBytes(StandardCharsets.UTF_8)));
                    if (firstRejects.size() < REJECTS_IN_RESULT) {
                        firstRejects.add(reason);
                        context.logger().warn("rejected " + reason);
                    }
                }
                if (lines % 20_000 == 0) {
                    context.progress("read " + lines + " lines");
                }
            }
        }
        context.logger()
                .info(
                        "imported s3://"
                                + bucket
                                + "/"
                                + key
                                + ": "
                                + records
                                + " records to "
                                + topic
                                + ", "
                                + rejected
                                + " rejected to "
                                + rejects);
        StringBuilder json =
                new StringBuilder("{\"file\":")
                        .append(quote("s3://" + bucket + "/" + key))
                        .append(",\"topic\":")
                        .append(quote(topic))
                        .append(",\"rejectsTopic\":")
                        .append(quote(rejects))
                        .append(",\"lines\":")
                        .append(lines)
                        .append(",\"records\":")
                        .append(records)
                        .append(",\"rejected\":")
                        .append(rejected)
                        .append(",\"firstRejects\":[");
        for (int i = 0; i < firstRejects.size(); i++) {
            json.append(i == 0 ? "" : ",").append(quote(firstRejects.get(i)));
        }
        json.append("],\"schema\":").append(schema).append('}');
        return Result.json(json.toString());
    }

    /** (bucket, key) of the object the S3 event is about: its extensions, else its JSON data. */
    static String[] object(Event event) {
        String bucket = event.extensions().get("s3bucket");
        String key = event.extensions().get("s3key");
        if (bucket == null || key == null) {
            Matcher m =
                    JSON_FIELD.matcher(event.dataAsString() == null ? "" : event.dataAsString());
            while (m.find()) {
                if (m.group(1).equals("bucket") && bucket == null) {
                    bucket = m.group(2);
                } else if (m.group(1).equals("key") && key == null) {
                    key = m.group(2);
                }
            }
        }
        if (bucket == null || key == null) {
            throw new IllegalArgumentException(
                    "event "
                            + event.id()
                            + " names no object; ImportCsv runs on s3: triggers, e.g."
                            + " s3:bucket=imports,suffix=.csv,events=put");
        }
        return new String[] {bucket, key};
    }

    private static String reject(String bucket, String key, long line, String reason, String text) {
        return "{\"file\":"
                + quote("s3://" + bucket + "/" + key)
                + ",\"line\":"
                + line
                + ",\"reason\":"
                + quote(reason)
                + ",\"text\":"
                + quote(text)
                + "}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
