package dev.flowfn.job.internal;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRequest;
import dev.flowfn.schemas.UndecodableRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches each incoming record to the functions it triggers, against the registry broadcast
 * from {@code flowfn.functions}. Emits one {@link InvocationRequest} per match; records that
 * cannot be decoded or name an unknown function go to the {@link #DEAD_LETTERS} side output.
 *
 * <p>Runs on the Flink task thread only. The registry lives in broadcast state (checkpointed);
 * the {@link TriggerIndex} is a transient view of it, rebuilt after a restore.
 */
public final class MatchFunction
        extends BroadcastProcessFunction<SourceRecord, RegistryUpdate, InvocationRequest>
        implements CheckpointedFunction {

    public static final MapStateDescriptor<String, FunctionSpec> REGISTRY =
            new MapStateDescriptor<>("flowfn-registry", Types.STRING, new AvroTypeInfo<>(FunctionSpec.class));

    public static final OutputTag<OutputRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(OutputRecord.class));

    private static final Logger LOG = LoggerFactory.getLogger(MatchFunction.class);
    private static final AvroCodec<FunctionSpec> SPECS = AvroCodec.of(FunctionSpec.class);

    private final long graceMillis;
    private transient TriggerIndex index;
    private transient List<PendingInvocation> pending;
    private transient ListState<PendingInvocation> pendingState;

    public MatchFunction(Duration pendingGrace) {
        this.graceMillis = pendingGrace.toMillis();
    }

    @Override
    public void processElement(SourceRecord record, ReadOnlyContext ctx, Collector<InvocationRequest> out)
            throws Exception {
        if (index == null) {
            index = new TriggerIndex();
            index.putAll(ctx.getBroadcastState(REGISTRY).immutableEntries());
        }
        expirePending(ctx::output);
        Event event;
        try {
            event = SourceEvents.toEvent(record);
        } catch (UndecodableRecordException e) {
            ctx.output(DEAD_LETTERS, OutputRecords.deadLetter(record, FailureKind.BAD_EVENT, record + ": " + e.getMessage()));
            return;
        }
        route(record, event, out, ctx::output, true);
    }

    @Override
    public void processBroadcastElement(RegistryUpdate update, Context ctx, Collector<InvocationRequest> out)
            throws Exception {
        BroadcastState<String, FunctionSpec> registry = ctx.getBroadcastState(REGISTRY);
        if (index == null) {
            index = new TriggerIndex();
            index.putAll(registry.immutableEntries());
        }
        if (update.isDeletion()) {
            registry.remove(update.name);
            index.remove(update.name);
            LOG.info("function {} deleted", update.name);
        } else {
            FunctionSpec spec;
            try {
                spec = SPECS.decode(update.spec);
            } catch (UndecodableRecordException e) {
                LOG.warn("ignoring registry record for {}: {}", update.name, e.getMessage());
                return;
            }
            registry.put(spec.getName(), spec);
            index.put(spec);
            LOG.info("function {} version {} deployed", spec.getName(), spec.getVersion());
        }
        retryPending(out, ctx::output);
    }

    /** Emits invocations for the event, or parks / dead-letters a direct one the registry lacks. */
    private void route(
            SourceRecord record, Event event, Collector<InvocationRequest> out, DeadLetterSink dlq, boolean mayWait) {
        String target = event.getExtensions().get(SourceEvents.TARGET);
        if (target == null) {
            for (FunctionSpec spec : index.forTopic(record.topic)) {
                out.collect(request(spec, event));
            }
            return;
        }
        FunctionSpec spec = index.function(target);
        long minVersion = parseLong(event.getExtensions().get(SourceEvents.MIN_VERSION));
        if (spec != null && spec.getVersion() >= minVersion) {
            out.collect(request(spec, event));
        } else if (mayWait) {
            pending.add(new PendingInvocation(record, System.currentTimeMillis()));
        } else {
            dlq.output(DEAD_LETTERS, unknownFunction(record, event, target));
        }
    }

    private void retryPending(Collector<InvocationRequest> out, DeadLetterSink dlq) {
        if (pending.isEmpty()) {
            return;
        }
        List<PendingInvocation> waiting = new ArrayList<>(pending);
        pending.clear();
        long now = System.currentTimeMillis();
        for (PendingInvocation p : waiting) {
            route(p.record, SourceEvents.toEvent(p.record), out, dlq, now - p.arrivedAtMillis < graceMillis);
        }
    }

    private void expirePending(DeadLetterSink dlq) {
        long now = System.currentTimeMillis();
        for (Iterator<PendingInvocation> it = pending.iterator(); it.hasNext(); ) {
            PendingInvocation p = it.next();
            if (now - p.arrivedAtMillis >= graceMillis) {
                it.remove();
                Event event = SourceEvents.toEvent(p.record);
                dlq.output(DEAD_LETTERS, unknownFunction(p.record, event, event.getExtensions().get(SourceEvents.TARGET)));
            }
        }
    }

    private static OutputRecord unknownFunction(SourceRecord record, Event event, String target) {
        return OutputRecords.deadLetter(
                dev.flowfn.schemas.DeadLetter.newBuilder()
                        .setFunction(target)
                        .setKind(FailureKind.UNKNOWN_FUNCTION)
                        .setReason("no function named '" + target + "' is deployed (event " + event.getId()
                                + " from " + record + "); deploy it, or check the name with 'flowfn list'")
                        .setEvent(event)
                        .setTime(java.time.Instant.now())
                        .build());
    }

    private static InvocationRequest request(FunctionSpec spec, Event event) {
        return InvocationRequest.newBuilder()
                .setInvocationId(SourceEvents.invocationId(event, spec.getName()))
                .setPartitionKey(SourceEvents.partitionKey(event))
                .setSpec(spec)
                .setEvent(event)
                .build();
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingState.update(pending);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pendingState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("flowfn-pending", PendingInvocation.class));
        pending = new ArrayList<>();
        for (PendingInvocation p : pendingState.get()) {
            pending.add(p);
        }
    }

    /** Where dead letters go: the side output of whichever context is at hand. */
    @FunctionalInterface
    private interface DeadLetterSink {
        void output(OutputTag<OutputRecord> tag, OutputRecord record);
    }
}
