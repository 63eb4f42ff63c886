package dev.flowfn.deploy.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowfn.schemas.SchemaCatalog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Turns a record's key or value into JSON: Avro single-object-encoded records (any schema the
 * catalog resolves: Flowfn's own, the {@code flowfn.schemas} topic, {@code --schema} files) as
 * their fields; UTF-8 text as a string (or the JSON it holds); other bytes as a string with {@code
 * \xNN} for each byte that is not text. Not thread-safe (one per tail).
 */
public final class RecordJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaCatalog catalog;

    public RecordJson(SchemaCatalog catalog) {
        this.catalog = catalog;
    }

    public JsonNode value(byte[] bytes) {
        if (bytes == null) {
            return NODES.nullNode();
        }
        if (bytes.length >= 10 && (bytes[0] & 0xff) == 0xC3 && bytes[1] == 0x01) {
            long fingerprint =
                    ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            Schema schema = catalog.findByFingerprint(fingerprint);
            if (schema == null) {
                ObjectNode unknown = NODES.objectNode();
                unknown.put(
                        "$avro",
                        "unknown schema "
                                + SchemaCatalog.fingerprintKey(fingerprint)
                                + ": not on flowfn.schemas; pass its .avsc with --schema FILE");
                unknown.put("$base64", Base64.getEncoder().encodeToString(bytes));
                return unknown;
            }
            try {
                GenericDatumReader<Object> reader = new GenericDatumReader<>(schema);
                Object datum =
                        reader.read(
                                null,
                                DecoderFactory.get()
                                        .binaryDecoder(bytes, 10, bytes.length - 10, null));
                return avro(datum, schema);
            } catch (IOException | RuntimeException corrupt) {
                ObjectNode bad = NODES.objectNode();
                bad.put("$avro", "corrupt " + schema.getFullName() + ": " + corrupt);
                bad.put("$base64", Base64.getEncoder().encodeToString(bytes));
                return bad;
            }
        }
        return bytesNode(bytes, true);
    }

    /** A key: text as a string, other bytes readably. */
    public JsonNode key(byte[] bytes) {
        return bytes == null ? NODES.nullNode() : bytesNode(bytes, false);
    }

    private static JsonNode bytesNode(byte[] bytes, boolean parseJson) {
        String text = strictUtf8(bytes);
        if (text == null) {
            return NODES.textNode(readable(bytes));
        }
        String t = text.strip();
        if (parseJson && (t.startsWith("{") || t.startsWith("["))) {
            try {
                return JSON.readTree(t);
            } catch (IOException notJson) {
                // shown as text
            }
        }
        return NODES.textNode(text);
    }

    static JsonNode avro(Object datum, Schema schema) {
        if (datum == null) {
            return NODES.nullNode();
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case RECORD -> {
                GenericRecord record = (GenericRecord) datum;
                ObjectNode o = NODES.objectNode();
                for (Schema.Field f : schema.getFields()) {
                    o.set(f.name(), avro(record.get(f.pos()), f.schema()));
                }
                return o;
            }
            case UNION -> {
                int branch = GenericData.get().resolveUnion(schema, datum);
                return avro(datum, schema.getTypes().get(branch));
            }
            case ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (Object item : (Iterable<?>) datum) {
                    a.add(avro(item, schema.getElementType()));
                }
                return a;
            }
            case MAP -> {
                ObjectNode o = NODES.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    o.set(e.getKey().toString(), avro(e.getValue(), schema.getValueType()));
                }
                return o;
            }
            case BYTES, FIXED -> {
                byte[] bytes;
                if (datum instanceof ByteBuffer b) {
                    bytes = new byte[b.remaining()];
                    b.duplicate().get(bytes);
                } else {
                    bytes = ((GenericData.Fixed) datum).bytes();
                }
                return bytesNode(bytes, true);
            }
            case LONG -> {
                long v = (Long) datum;
                if (logical != null && logical.getName().equals("timestamp-millis")) {
                    return NODES.textNode(Instant.ofEpochMilli(v).toString());
                }
                if (logical != null && logical.getName().equals("timestamp-micros")) {
                    return NODES.textNode(
                            Instant.ofEpochSecond(v / 1_000_000, (v % 1_000_000) * 1000)
                                    .toString());
                }
                return NODES.numberNode(v);
            }
            case INT -> {
                return NODES.numberNode((Integer) datum);
            }
            case FLOAT -> {
                return NODES.numberNode((Float) datum);
            }
            case DOUBLE -> {
                return NODES.numberNode((Double) datum);
            }
            case BOOLEAN -> {
                return NODES.booleanNode((Boolean) datum);
            }
            case NULL -> {
                return NODES.nullNode();
            }
            default -> {
                return NODES.textNode(datum.toString()); // STRING, ENUM
            }
        }
    }

    /** The bytes as UTF-8, or null when they are not valid UTF-8. */
    static String strictUtf8(byte[] bytes) {
        CharsetDecoder d =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(ByteBuffer.wrap(bytes), out, true);
        if (r.isError() || d.flush(out).isError()) {
            return null;
        }
        return out.flip().toString();
    }

    /** Printable ASCII as is, every other byte as {@code \xNN}. */
    static String readable(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02X", c));
            }
        }
        return s.toString();
    }
}
