package dev.flowfn.job.internal;

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
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (function, partition key), just before dispatch. Passes resolved invocations through
 * untouched. An unresolved direct invocation (deploy and invoke race: they travel on different
 * topics) waits in keyed state, re-checked every {@link #RECHECK} against the registry, and becomes
 * an UNKNOWN_FUNCTION dead letter after the grace period.
 *
 * <p>Runs on the Flink task thread only; pending invocations are checkpointed.
 */
public final class ResolveFunction
        extends KeyedBroadcastProcessFunction<
                String, InvocationRequest, RegistryUpdate, InvocationRequest> {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    static final long RECHECK = 200;

    private final long graceMillis;
    private transient ListState<PendingRequest> pending;

    public ResolveFunction(Duration grace) {
        this.graceMillis = grace.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>("flowfn-pending", PendingRequest.class));
    }

    @Override
    public void processElement(
            InvocationRequest request, ReadOnlyContext ctx, Collector<InvocationRequest> out)
            throws Exception {
        if (!SourceEvents.isUnresolved(request)) {
            out.collect(request);
            return;
        }
        InvocationRequest resolved =
                resolve(request, ctx.getBroadcastState(RegistryState.DESCRIPTOR));
        if (resolved != null) {
            out.collect(resolved);
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
                out.collect(resolved);
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
