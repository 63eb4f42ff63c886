package dev.flowfn.job.internal;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRequest;
import dev.flowfn.schemas.UndecodableRecordException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches each incoming record to the functions it triggers, against the registry broadcast from
 * {@code flowfn.functions}, and emits one {@link InvocationRequest} per match. A record that cannot
 * be decoded goes to the {@link #DEAD_LETTERS} side output. A direct invocation whose function this
 * instance does not know (yet) is passed on unresolved, for the keyed {@link ResolveFunction} to
 * wait for the registry.
 *
 * <p>Runs on the Flink task thread only. The registry lives in broadcast state (checkpointed); the
 * {@link TriggerIndex} is a transient view of it, rebuilt after a restore.
 */
public final class MatchFunction
        extends BroadcastProcessFunction<SourceRecord, RegistryUpdate, InvocationRequest> {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    public static final OutputTag<OutputRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(OutputRecord.class));

    private static final Logger LOG = LoggerFactory.getLogger(MatchFunction.class);

    private transient TriggerIndex index;

    @Override
    public void processElement(
            SourceRecord record, ReadOnlyContext ctx, Collector<InvocationRequest> out)
            throws Exception {
        if (index == null) {
            index = new TriggerIndex();
            index.putAll(ctx.getBroadcastState(RegistryState.DESCRIPTOR).immutableEntries());
        }
        Event event;
        try {
            event = SourceEvents.toEvent(record);
        } catch (UndecodableRecordException e) {
            ctx.output(
                    DEAD_LETTERS,
                    OutputRecords.deadLetter(
                            record, FailureKind.BAD_EVENT, record + ": " + e.getMessage()));
            return;
        }
        String target = event.getExtensions().get(SourceEvents.TARGET);
        if (target == null) {
            for (FunctionSpec spec : index.forTopic(record.topic)) {
                out.collect(SourceEvents.request(spec, event));
            }
            return;
        }
        FunctionSpec spec = index.function(target);
        out.collect(
                spec != null && spec.getVersion() >= SourceEvents.minVersion(event)
                        ? SourceEvents.request(spec, event)
                        : SourceEvents.unresolved(target, event));
    }

    @Override
    public void processBroadcastElement(
            RegistryUpdate update, Context ctx, Collector<InvocationRequest> out) throws Exception {
        if (index == null) {
            index = new TriggerIndex();
            index.putAll(ctx.getBroadcastState(RegistryState.DESCRIPTOR).immutableEntries());
        }
        FunctionSpec spec =
                RegistryState.apply(update, ctx.getBroadcastState(RegistryState.DESCRIPTOR));
        if (spec == null) {
            index.remove(update.name);
        } else {
            index.put(spec);
            LOG.info("function {} version {} is live", spec.getName(), spec.getVersion());
        }
    }
}
