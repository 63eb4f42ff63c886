package dev.flowfn.job.internal;

import dev.flowfn.job.internal.dispatch.DispatchOperator;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by (function, partition key), just before dispatch. Passes resolved invocations through
 * untouched. An unresolved direct invocation (deploy and invoke race: they travel on different
 * topics) waits in keyed state, re-checked every {@link #RECHECK} against the registry, and becomes
 * an UNKNOWN_FUNCTION dead letter after the grace period. Repeats of an invocation of an event with
 * a source identity (see {@link SourceEvents#hasSourceIdentity}) within the dedup window are
 * dropped here, in checkpointed keyed state: with the exactly-once sink this turns at-least-once
 * connectors into exactly-once invocations.
 *
 * <p>Each invocation it passes on gets the next {@link InvocationRequest#getSequence() sequence} of
 * its key: dispatch starts a key's invocations in that order, also when a restore hands Flink's
 * in-flight invocations back in another (see {@code DispatchOperator}).
 *
 * <p>Runs on the Flink task thread only; pending invocations and sequences are checkpointed.
 */
public final class ResolveFunction
        extends KeyedBroadcastProcessFunction<
                String, InvocationRequest, RegistryUpdate, InvocationRequest> {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    static final long RECHECK = 200;

    /**
     * How long a key's sequence is kept after its last invocation: longer than any invocation can
     * stay in flight (the dispatch limit), so a key that starts again at 0 has nothing left to
     * order against.
     */
    static final Duration SEQUENCE_TTL = DispatchOperator.LIMIT.multipliedBy(2);

    private static final Logger LOG = LoggerFactory.getLogger(ResolveFunction.class);

    private final long graceMillis;
    private final Duration dedupWindow;
    private transient ListState<PendingRequest> pending;
    private transient MapState<String, Boolean> seen;
    private transient ValueState<Long> nextSequence;

    /**
     * @param grace how long an unresolved direct invocation waits for its function
     * @param dedupWindow how long the invocation ids of events with a source identity (object
     *     notifications, timer ticks, MQTT QoS 2 messages) are remembered, to drop their
     *     redeliveries
     */
    public ResolveFunction(Duration grace, Duration dedupWindow) {
        this.graceMillis = grace.toMillis();
        this.dedupWindow = dedupWindow;
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>("flowfn-pending", PendingRequest.class));
        MapStateDescriptor<String, Boolean> seenDescriptor =
                new MapStateDescriptor<>("flowfn-seen-ids", Types.STRING, Types.BOOLEAN);
        seenDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(dedupWindow).build());
        seen = getRuntimeContext().getMapState(seenDescriptor);
        ValueStateDescriptor<Long> sequenceDescriptor =
                new ValueStateDescriptor<>("flowfn-next-sequence", Types.LONG);
        sequenceDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(SEQUENCE_TTL).build());
        nextSequence = getRuntimeContext().getState(sequenceDescriptor);
    }

    @Override
    public void processElement(
            InvocationRequest request, ReadOnlyContext ctx, Collector<InvocationRequest> out)
            throws Exception {
        if (!SourceEvents.isUnresolved(request)) {
            emitOnce(request, out);
            return;
        }
        InvocationRequest resolved =
                resolve(request, ctx.getBroadcastState(RegistryState.DESCRIPTOR));
        if (resolved != null) {
            emitOnce(resolved, out);
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        pending.add(new PendingRequest(request, now));
        ctx.timerService().registerProcessingTimeTimer(now + RECHECK);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<InvocationRequest> out)
            throws Exception {
        ReadOnlyBroadcastState<String, FunctionSpec> registry =
                ctx.getBroadcastState(RegistryState.DESCRIPTOR);
        List<PendingRequest> still = new ArrayList<>();
        for (PendingRequest p : pending.get()) {
            InvocationRequest resolved = resolve(p.request, registry);
            if (resolved != null) {
                emitOnce(resolved, out);
            } else if (timestamp - p.arrivedAtMillis >= graceMillis) {
                ctx.output(MatchFunction.DEAD_LETTERS, unknownFunction(p.request));
            } else {
                still.add(p);
            }
        }
        pending.update(still);
        if (!still.isEmpty()) {
            ctx.timerService().registerProcessingTimeTimer(timestamp + RECHECK);
        }
    }

    @Override
    public void processBroadcastElement(
            RegistryUpdate update, Context ctx, Collector<InvocationRequest> out) throws Exception {
        RegistryState.apply(update, ctx.getBroadcastState(RegistryState.DESCRIPTOR));
    }

    /**
     * Passes the request on, unless its event has a source identity (an object notification, a
     * timer tick, an MQTT QoS 2 message: connectors deliver those at least once) and this
     * invocation id was seen within the dedup window.
     */
    private void emitOnce(InvocationRequest request, Collector<InvocationRequest> out)
            throws Exception {
        if (SourceEvents.hasSourceIdentity(request.getEvent())) {
            if (seen.contains(request.getInvocationId())) {
                LOG.debug("dropped repeat of {}", request.getInvocationId());
                return;
            }
            seen.put(request.getInvocationId(), Boolean.TRUE);
        }
        Long next = nextSequence.value();
        long sequence = next == null ? 0 : next;
        nextSequence.update(sequence + 1);
        request.setSequence(sequence);
        out.collect(request);
    }

    private static InvocationRequest resolve(
            InvocationRequest request, ReadOnlyBroadcastState<String, FunctionSpec> registry)
            throws Exception {
        FunctionSpec spec = registry.get(request.getSpec().getName());
        if (spec == null || spec.getVersion() < SourceEvents.minVersion(request.getEvent())) {
            return null;
        }
        return SourceEvents.request(spec, request.getEvent());
    }

    private static OutputRecord unknownFunction(InvocationRequest request) {
        String target = request.getSpec().getName();
        long minVersion = SourceEvents.minVersion(request.getEvent());
        String reason =
                minVersion > 0
                        ? "function '"
                                + target
                                + "' version "
                                + minVersion
                                + " or later is not deployed (deleted, or never deployed);"
                                + " deploy it, or check the name with 'flowfn list'"
                        : "no function named '"
                                + target
                                + "' is deployed; deploy it, or check the name with 'flowfn list'";
        return OutputRecords.deadLetter(
                DeadLetter.newBuilder()
                        .setFunction(target)
                        .setInvocationId(request.getInvocationId())
                        .setKind(FailureKind.UNKNOWN_FUNCTION)
                        .setReason(reason + " (event " + request.getEvent().getId() + ")")
                        .setEvent(request.getEvent())
                        .setTime(Instant.now())
                        .build());
    }
}
