package dev.flowfn.schemas;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Resolves a single-object-encoding fingerprint to its writer schema: first the schemas this build
 * knows (its own and the {@link FlowfnSchemas#previous() previous versions} it still reads), then a
 * fallback (the {@code flowfn.schemas} topic) for schemas written by other versions of the
 * platform. Thread-safe.
 */
public final class SchemaCatalog implements SchemaStore {

    private final Map<Long, Schema> known = new ConcurrentHashMap<>();
    private final LongFunction<Schema> fallback;

    /** A catalog of this build's schemas only. */
    public SchemaCatalog() {
        this(fingerprint -> null);
    }

    /** A catalog that asks {@code fallback} for fingerprints it does not know (may return null). */
    public SchemaCatalog(LongFunction<Schema> fallback) {
        this.fallback = fallback;
        FlowfnSchemas.all().forEach(this::add);
        FlowfnSchemas.previous().forEach(this::add);
    }

    public void add(Schema schema) {
        known.put(fingerprint(schema), schema);
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        Schema schema = known.get(fingerprint);
        if (schema == null) {
            schema = fallback.apply(fingerprint);
            if (schema != null) {
                known.put(fingerprint, schema);
            }
        }
        return schema;
    }

    /** The 64-bit Rabin fingerprint single-object encoding puts in each record's header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** How {@code flowfn.schemas} keys a schema: its fingerprint in 16 hex digits. */
    public static String fingerprintKey(long fingerprint) {
        return String.format("%016x", fingerprint);
    }
}
