package dev.flowfn.job.internal;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.UndecodableRecordException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function registry as broadcast state: each function's latest registry record, as the encoded
 * bytes read from {@code flowfn.functions}, and how a registry record changes it.
 *
 * <p>Bytes, not Flink's Avro type: a latest record holds its earlier versions ({@code
 * FunctionSpec.history}, a recursive schema), which Flink's Avro type extraction cannot analyse.
 * Bytes also restore whatever the schema becomes, since the codec resolves old writers' schemas.
 */
public final class RegistryState {

    public static final MapStateDescriptor<String, byte[]> DESCRIPTOR =
            new MapStateDescriptor<>(
                    "flowfn-registry-records",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);
    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);

    /**
     * Applies one registry record. Returns the new spec, or null for a deletion or a record that
     * could not be decoded (logged and skipped: a bad registry record must not stop the job).
     */
    public static FunctionSpec apply(RegistryUpdate update, BroadcastState<String, byte[]> registry)
            throws Exception {
        if (update.isDeletion()) {
            registry.remove(update.name);
            return null;
        }
        try {
            FunctionSpec spec = SPECS.decode(update.spec);
            registry.put(spec.getName(), update.spec);
            return spec;
        } catch (UndecodableRecordException e) {
            LOG.warn("ignoring registry record for {}: {}", update.name, e.getMessage());
            return null;
        }
    }

    /** The latest record of {@code name}, or null. */
    public static FunctionSpec get(ReadOnlyBroadcastState<String, byte[]> registry, String name)
            throws Exception {
        byte[] record = registry.get(name);
        return record == null ? null : SPECS.decode(record);
    }

    /** Every function's latest record, by name. */
    public static Map<String, FunctionSpec> all(ReadOnlyBroadcastState<String, byte[]> registry)
            throws Exception {
        Map<String, FunctionSpec> all = new HashMap<>();
        for (Map.Entry<String, byte[]> e : registry.immutableEntries()) {
            all.put(e.getKey(), SPECS.decode(e.getValue()));
        }
        return all;
    }

    private RegistryState() {}
}
