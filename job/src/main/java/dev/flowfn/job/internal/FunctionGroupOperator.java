package dev.flowfn.job.internal;

import dev.flowfn.job.internal.dispatch.DispatchRuntime;
import dev.flowfn.job.internal.dispatch.FlinkDispatchMetrics;
import dev.flowfn.job.internal.dispatch.FunctionGroup;
import dev.flowfn.job.internal.dispatch.Invocation;
import dev.flowfn.job.internal.metering.MeterPartial;
import dev.flowfn.job.internal.metering.MeterPartials;
import dev.flowfn.job.internal.metering.Metering;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionVersions;
import dev.flowfn.schemas.contract.EventExtensions;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function group operator, the job's hot path. Keyed by the record's key (the job's only
 * shuffle), with the registry as broadcast state on its second input: it decodes each record,
 * matches it to the functions it triggers, drops repeats of events with a source identity, queues
 * an invocation per match behind the earlier ones of its function and partition key, runs them
 * ({@link FunctionGroup}), meters every attempt into partial sums per function version and window,
 * and emits the encoded outputs to the exactly-once sink chained to it.
 *
 * <p>What is in flight is part of the checkpoint: at a snapshot, each key's invocations are written
 * in order to keyed state (and cleared for keys whose queues emptied), so a restore, also into
 * another parallelism, restarts each key's invocations in order; nothing is written per event.
 * Metering partials are operator state until their window closes.
 *
 * <p>Runs on the task thread; lane threads reach it only through the mailbox.
 */
public final class FunctionGroupOperator extends AbstractStreamOperator<OutputRecord>
        implements TwoInputStreamOperator<SourceRecord, RegistryUpdate, OutputRecord>,
                Triggerable<String, VoidNamespace>,
                Matcher.Matches,
                FunctionGroup.Host {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    private static final Logger LOG = LoggerFactory.getLogger(FunctionGroupOperator.class);
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(30);
    static final long RECHECK_MILLIS = 200;

    /** How the operator is configured; serializable with the job graph. */
    public record Settings(
            DispatchRuntime.Settings dispatch,
            List<String> notificationTopics,
            int capacity,
            Duration pendingGrace,
            Duration dedupWindow,
            Duration meteringWindow,
            boolean publishInvocations,
            boolean inline)
            implements Serializable {}

    private final Settings settings;
    private final transient MailboxExecutor mailbox;
    private transient Matcher matcher;
    private transient BroadcastState<String, byte[]> registry;
    private transient TriggerIndex index;
    private transient MapState<String, Boolean> seen;
    private transient ListState<QueuedInvocation> queued;
    private transient ListState<PendingDirect> pending;
    private transient ListState<MeterPartial> partialState;
    private transient InternalTimerService<VoidNamespace> pendingTimers;
    private transient MeterPartials partials;
    private transient DispatchRuntime runtime;
    private transient FunctionGroup group;
    private transient StreamRecord<OutputRecord> reuse;

    /** The key of the record being matched (no matcher callback object per record). */
    private transient String recordKey;

    /** Keys with invocations in keyed state since the last snapshot (or the restore). */
    private transient Set<String> keysInState;

    /** What a restore handed back, until {@link #open} restarts it. */
    private transient List<QueuedInvocation> restoredInvocations;

    private transient List<Long> restoredWindowEnds;

    private FunctionGroupOperator(
            StreamOperatorParameters<OutputRecord> parameters, Settings settings) {
        super(parameters);
        this.settings = settings;
        this.mailbox = parameters.getMailboxExecutor();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        registry = getOperatorStateBackend().getBroadcastState(RegistryState.DESCRIPTOR);
        partialState =
                getOperatorStateBackend()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "flowfn-meter-partials", MeterPartial.class));
        MapStateDescriptor<String, Boolean> seenDescriptor =
                new MapStateDescriptor<>("flowfn-seen-ids", Types.STRING, Types.BOOLEAN);
        seenDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(settings.dedupWindow()).build());
        seen = getKeyedStateStore().getMapState(seenDescriptor);
        ListStateDescriptor<QueuedInvocation> queuedDescriptor =
                new ListStateDescriptor<>("flowfn-in-flight", QueuedInvocation.class);
        queued = getKeyedStateStore().getListState(queuedDescriptor);
        pending =
                getKeyedStateStore()
                        .getListState(
                                new ListStateDescriptor<>("flowfn-pending", PendingDirect.class));

        partials = new MeterPartials(settings.meteringWindow().toMillis());
        keysInState = new HashSet<>();
        restoredInvocations = new ArrayList<>();
        restoredWindowEnds = partials.restore(partialState.get());
        if (context.isRestored()) {
            List<String> keys =
                    getKeyedStateBackend()
                            .<VoidNamespace>getKeys(
                                    queuedDescriptor.getName(), VoidNamespace.INSTANCE)
                            .map(String.class::cast)
                            .toList();
            for (String key : keys) {
                setCurrentKey(key);
                for (QueuedInvocation q : queued.get()) {
                    q.operatorKey = key;
                    restoredInvocations.add(q);
                }
                keysInState.add(key);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        FlowfnSchemas.trustGeneratedClasses();
        reuse = new StreamRecord<>(null);
        matcher = new Matcher(new HashSet<>(settings.notificationTopics()));
        index = primedIndex();
        pendingTimers =
                getInternalTimerService("flowfn-pending", VoidNamespaceSerializer.INSTANCE, this);
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        runtime =
                new DispatchRuntime(
                        settings.dispatch(),
                        String.valueOf(subtask),
                        new FlinkDispatchMetrics(getMetricGroup()));
        group = new FunctionGroup(runtime, this, settings.publishInvocations(), settings.inline());
        for (long end : restoredWindowEnds) {
            closeWindowsAt(end);
        }
        restart(restoredInvocations);
        restoredInvocations = null;
    }

    /**
     * The index from the broadcast state; on a fresh start (empty state) from a snapshot of the
     * registry topic, so that a backlog of events read before the broadcast is not matched against
     * no functions.
     */
    private TriggerIndex primedIndex() throws Exception {
        TriggerIndex fresh = new TriggerIndex();
        fresh.putAll(RegistryState.all(registry).entrySet());
        if (fresh.size() == 0 && settings.dispatch().kafka() != null) {
            Map<String, FunctionSpec> snapshot =
                    RegistrySnapshot.read(settings.dispatch().kafka(), SNAPSHOT_TIMEOUT);
            fresh.putAll(snapshot.entrySet());
            LOG.info("fresh start: {} functions from the registry topic", snapshot.size());
        }
        return fresh;
    }

    /** Restarts the invocations a checkpoint held, each key's in their order. */
    private void restart(List<QueuedInvocation> invocations) {
        if (invocations.isEmpty()) {
            return;
        }
        LOG.info("restarting {} invocations that were in flight, in order", invocations.size());
        for (QueuedInvocation q : invocations) {
            Event event = q.decodeEvent();
            DeployedFunction function = index.function(q.function);
            if (function == null) {
                emit(unknownFunction(q.function, q.invocationId, event, 0));
                continue;
            }
            FunctionSpec spec = function.version(q.version);
            if (spec == null) {
                spec = function.latest();
                LOG.info(
                        "{} was in flight on {} version {}, which is no longer kept; it restarts on"
                                + " version {}",
                        q.invocationId,
                        q.function,
                        q.version,
                        spec.getVersion());
            }
            group.submit(
                    new Invocation(q.operatorKey, spec, event, q.invocationId, q.partitionKey));
        }
    }

    @Override
    public void processElement1(StreamRecord<SourceRecord> element) throws Exception {
        if (group.inFlight() >= settings.capacity()) {
            Object key = getCurrentKey();
            while (group.inFlight() >= settings.capacity()) {
                mailbox.yield(); // completions, retries and timers run meanwhile
            }
            setCurrentKey(key); // a keyed timer may have moved it
        }
        recordKey = (String) getCurrentKey();
        matcher.match(element.getValue(), index, this);
    }

    // Matcher.Matches: where the matches of the record being processed go (keyed context)

    @Override
    public void invoke(DeployedFunction function, String qualifier, Event event) throws Exception {
        route(recordKey, function, qualifier, event);
    }

    /**
     * Picks the version the event runs on (the latest, a pinned one, or where an alias sends its
     * partition key) and queues it; an alias or version that is not there is a dead letter. The
     * version is fixed from here on: a later alias move does not change it. Keyed context of {@code
     * key}.
     */
    private void route(String key, DeployedFunction function, String qualifier, Event event)
            throws Exception {
        FunctionSpec spec = function.resolve(qualifier, SourceEvents.partitionKey(event));
        if (spec == null) {
            emit(
                    OutputRecords.deadLetter(
                            DeadLetter.newBuilder()
                                    .setFunction(function.name())
                                    .setInvocationId(
                                            SourceEvents.invocationId(event, function.name()))
                                    .setKind(FailureKind.UNKNOWN_FUNCTION)
                                    .setReason(
                                            function.unresolved(qualifier)
                                                    + " (event "
                                                    + event.getId()
                                                    + ")")
                                    .setEvent(event)
                                    .setTime(Instant.now())
                                    .build()));
            return;
        }
        submitOnce(key, spec, event);
    }

    @Override
    public void unresolved(String function, Event event) throws Exception {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        pending.add(new PendingDirect(function, event, now));
        pendingTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + RECHECK_MILLIS);
    }

    @Override
    public void deadLetter(OutputRecord letter) {
        emit(letter);
    }

    /**
     * Queues the invocation, unless its event has a source identity (an object notification, a
     * timer tick, an MQTT QoS 2 message: connectors deliver those at least once) and this
     * invocation was seen within the dedup window. Keyed context of {@code key}.
     */
    private void submitOnce(String key, FunctionSpec spec, Event event) throws Exception {
        String invocationId = SourceEvents.invocationId(event, spec.getName());
        if (SourceEvents.hasSourceIdentity(event)) {
            if (seen.contains(invocationId)) {
                LOG.debug("dropped repeat of {}", invocationId);
                return;
            }
            seen.put(invocationId, Boolean.TRUE);
        }
        group.submit(
                new Invocation(key, spec, event, invocationId, SourceEvents.partitionKey(event)));
    }

    @Override
    public void processElement2(StreamRecord<RegistryUpdate> element) throws Exception {
        RegistryUpdate update = element.getValue();
        FunctionSpec record = RegistryState.apply(update, registry);
        DeployedFunction before;
        if (update.isDeletion()) {
            before = index.remove(update.name);
        } else if (record != null) {
            before = index.put(record);
            LOG.info(
                    "function {}: version {} is the latest; kept {}; aliases {}",
                    record.getName(),
                    record.getVersion(),
                    FunctionVersions.keptNumbers(record),
                    record.getAliases());
        } else {
            return; // undecodable, logged: the function stays as it was
        }
        DeployedFunction after = index.function(update.name);
        if (before != null) {
            for (FunctionSpec version : before.versions()) {
                if (after == null || after.version(version.getVersion()) != version) {
                    group.forget(version);
                }
            }
        }
    }

    /** A pending direct invocation's recheck: its function may be there now. Keyed context. */
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long now = timer.getTimestamp();
        List<PendingDirect> still = new ArrayList<>();
        for (PendingDirect p : pending.get()) {
            Event event = p.decodeEvent();
            DeployedFunction function = index.function(p.function);
            if (function != null
                    && function.latest().getVersion() >= SourceEvents.minVersion(event)) {
                route(
                        timer.getKey(),
                        function,
                        event.getExtensions().get(EventExtensions.QUALIFIER),
                        event);
            } else if (now - p.arrivedAtMillis >= settings.pendingGrace().toMillis()) {
                emit(
                        unknownFunction(
                                p.function, event.getId(), event, SourceEvents.minVersion(event)));
            } else {
                still.add(p);
            }
        }
        if (still.isEmpty()) {
            pending.clear();
        } else {
            pending.update(still);
            pendingTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + RECHECK_MILLIS);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {}

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        Map<String, List<QueuedInvocation>> byKey = new HashMap<>();
        group.forEachInFlight(
                i ->
                        byKey.computeIfAbsent(i.operatorKey(), k -> new ArrayList<>())
                                .add(QueuedInvocation.of(i)));
        for (Map.Entry<String, List<QueuedInvocation>> e : byKey.entrySet()) {
            setCurrentKey(e.getKey());
            queued.update(e.getValue());
        }
        for (String key : keysInState) {
            if (!byKey.containsKey(key)) {
                setCurrentKey(key);
                queued.clear(); // nothing stays for a key once its queue is empty
            }
        }
        keysInState = new HashSet<>(byKey.keySet());
        partialState.update(partials.all());
    }

    // FunctionGroup.Host

    @Override
    public void emit(OutputRecord record) {
        output.collect(reuse.replace(record));
    }

    @Override
    public void metered(
            FunctionSpec spec,
            long endMillis,
            long billedMs,
            boolean success,
            boolean deadLettered) {
        long windowEnd = partials.add(spec, endMillis, billedMs, success, deadLettered);
        if (windowEnd >= 0) {
            closeWindowsAt(windowEnd);
        }
    }

    private void closeWindowsAt(long windowEnd) {
        getProcessingTimeService()
                .registerTimer(
                        windowEnd,
                        now -> {
                            for (MeterPartial p : partials.closeUpTo(now)) {
                                output.collect(
                                        Metering.PARTIALS, new StreamRecord<>(p, p.windowStart));
                            }
                        });
    }

    @Override
    public void later(long delayMillis, Runnable action) {
        long at = getProcessingTimeService().getCurrentProcessingTime() + delayMillis;
        getProcessingTimeService().registerTimer(at, now -> action.run());
    }

    @Override
    public void completionsReady() {
        try {
            mailbox.execute(() -> group.drainCompletions(), "flowfn: attempts ended");
        } catch (RejectedExecutionException e) {
            // the task is closing: what was in flight is in the last checkpoint and runs again
            LOG.debug("attempts ended after the operator closed: {}", e.toString());
        }
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            if (group != null) {
                group.close();
            }
            if (runtime != null) {
                runtime.close();
            }
        }
    }

    private static OutputRecord unknownFunction(
            String function, String invocationId, Event event, long minVersion) {
        String reason =
                minVersion > 0
                        ? "function '"
                                + function
                                + "' version "
                                + minVersion
                                + " or later is not deployed (deleted, or never deployed);"
                                + " deploy it, or check the name with 'flowfn list'"
                        : "no function named '"
                                + function
                                + "' is deployed; deploy it, or check the name with 'flowfn list'";
        return OutputRecords.deadLetter(
                DeadLetter.newBuilder()
                        .setFunction(function)
                        .setInvocationId(invocationId)
                        .setKind(FailureKind.UNKNOWN_FUNCTION)
                        .setReason(reason + " (event " + event.getId() + ")")
                        .setEvent(event)
                        .setTime(Instant.now())
                        .build());
    }

    /** Makes the operator with the task's mailbox; serialized with the job graph. */
    public static final class Factory extends AbstractStreamOperatorFactory<OutputRecord>
            implements TwoInputStreamOperatorFactory<SourceRecord, RegistryUpdate, OutputRecord> {

        private final Settings settings;

        public Factory(Settings settings) {
            this.settings = settings;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<OutputRecord>> T createStreamOperator(
                StreamOperatorParameters<OutputRecord> parameters) {
            return (T) new FunctionGroupOperator(parameters, settings);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return FunctionGroupOperator.class;
        }
    }
}
