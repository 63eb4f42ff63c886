package dev.flowfn.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type in Avro single-object encoding ({@code C3 01}, the writer
 * schema's 64-bit fingerprint, then the binary body). Records written with another version of the
 * schema are resolved through the {@link SchemaCatalog}. Thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** Each thread's encoding buffer, reused: one copy per encoded record. */
    private static final ThreadLocal<EncodeBuffer> BUFFERS =
            ThreadLocal.withInitial(EncodeBuffer::new);

    private final Class<T> type;

    /** The single-object header: {@code C3 01} and the schema's fingerprint, little-endian. */
    private final byte[] header;

    private final SpecificDatumWriter<T> writer;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Class<T> type, SchemaCatalog catalog) {
        FlowfnSchemas.trustGeneratedClasses();
        this.type = type;
        SpecificData model = new SpecificData(type.getClassLoader());
        org.apache.avro.Schema schema = model.getSchema(type);
        this.header =
                ByteBuffer.allocate(10)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .put((byte) 0xC3)
                        .put((byte) 0x01)
                        .putLong(SchemaNormalization.parsingFingerprint64(schema))
                        .array();
        this.writer = new SpecificDatumWriter<>(schema, writerModel(type));
        this.decoder = new BinaryMessageDecoder<>(model, schema, catalog);
    }

    /**
     * The model the writer writes with: the generated classes' own field-by-field writers ({@code
     * customEncode}) where they have them, which Avro leaves off unless asked. They write the same
     * bytes as the generic writer (the writer schema is the class's own), with less work per field.
     * The decoder keeps the generic reader: it resolves other writer schemas.
     */
    private static SpecificData writerModel(Class<?> type) {
        SpecificData model = new SpecificData(type.getClassLoader());
        model.setCustomCoders(true);
        return model;
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type, SchemaCatalog catalog) {
        return new AvroCodec<>(type, catalog);
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type, new SchemaCatalog());
    }

    public byte[] encode(T record) {
        EncodeBuffer out = BUFFERS.get();
        out.reset();
        boolean encoded = false;
        try {
            out.writeFixed(header, 0, header.length);
            writer.write(record, out);
            encoded = true;
            return out.toByteArray(); // the one copy
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            // a record that failed half-way leaves bytes in the encoder: a new one for the next;
            // a rare large record does not stay on the thread
            if (!encoded || out.size() > EncodeBuffer.MAX_KEPT) {
                BUFFERS.remove();
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
