package dev.flowfn.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type in Avro single-object encoding ({@code C3 01}, the writer
 * schema's 64-bit fingerprint, then the binary body). Records written with another version of the
 * schema are resolved through the {@link SchemaCatalog}. Thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** Each thread's encoding buffer, reused: one copy per encoded record. */
    private static final ThreadLocal<ByteArrayOutputStream> BUFFERS =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(512));

    private static final int MAX_KEPT_BUFFER = 1 << 20;

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Class<T> type, SchemaCatalog catalog) {
        FlowfnSchemas.trustGeneratedClasses();
        this.type = type;
        SpecificData model = new SpecificData(type.getClassLoader());
        org.apache.avro.Schema schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, catalog);
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type, SchemaCatalog catalog) {
        return new AvroCodec<>(type, catalog);
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type, new SchemaCatalog());
    }

    public byte[] encode(T record) {
        ByteArrayOutputStream out = BUFFERS.get();
        out.reset();
        try {
            encoder.encode(record, out);
            return out.toByteArray(); // the one copy
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (out.size() > MAX_KEPT_BUFFER) {
                BUFFERS.remove(); // a rare large record does not stay on the thread
            }
        }
    }

    /**
     * Decodes a record.
     *
     * @throws UndecodableRecordException naming what is wrong, when the bytes are not a
     *     single-object-encoded record of a known schema
     */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new UndecodableRecordException(
                    "record has no value (null); expected an Avro " + type.getSimpleName());
        }
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new UndecodableRecordException(
                    "not an Avro single-object-encoded "
                            + type.getSimpleName()
                            + " ("
                            + e.getMessage()
                            + "); write records with Flowfn's serde or send them to a kafka: trigger topic instead",
                    e);
        } catch (MissingSchemaException e) {
            throw new UndecodableRecordException(
                    "unknown writer schema for "
                            + type.getSimpleName()
                            + ": "
                            + e.getMessage()
                            + "; publish the schema to "
                            + Topics.SCHEMAS,
                    e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new UndecodableRecordException(
                    "corrupt Avro " + type.getSimpleName() + " (" + e + ")", e);
        }
    }

    public Class<T> type() {
        return type;
    }
}
