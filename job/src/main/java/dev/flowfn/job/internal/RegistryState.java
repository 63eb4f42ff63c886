package dev.flowfn.job.internal;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.UndecodableRecordException;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The function registry as broadcast state: how a registry record changes it. */
public final class RegistryState {

    public static final MapStateDescriptor<String, FunctionSpec> DESCRIPTOR =
            new MapStateDescriptor<>(
                    "flowfn-registry", Types.STRING, new AvroTypeInfo<>(FunctionSpec.class));

    private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);
    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);

    /**
     * Applies one registry record. Returns the new spec, or null for a deletion or a record that
     * could not be decoded (logged and skipped: a bad registry record must not stop the job).
     */
    public static FunctionSpec apply(
            RegistryUpdate update, BroadcastState<String, FunctionSpec> registry) throws Exception {
        if (update.isDeletion()) {
            registry.remove(update.name);
            return null;
        }
        try {
            FunctionSpec spec = SPECS.decode(update.spec);
            registry.put(spec.getName(), spec);
            return spec;
        } catch (UndecodableRecordException e) {
            LOG.warn("ignoring registry record for {}: {}", update.name, e.getMessage());
            return null;
        }
    }

    private RegistryState() {}
}
