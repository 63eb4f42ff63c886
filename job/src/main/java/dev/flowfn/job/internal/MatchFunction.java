package dev.flowfn.job.internal;

import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRequest;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.UndecodableRecordException;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventTypes;
import dev.flowfn.schemas.s3.InvalidNotificationException;
import dev.flowfn.schemas.s3.MinioKafkaTarget;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClientConfig kafka;
    private final Set<String> notificationTopics;
    private transient TriggerIndex index;

    /**
     * @param kafka where to read the registry once on a fresh start (see {@link RegistrySnapshot})
     * @param notificationTopics topics where MinIO's Kafka target writes bucket notifications
     */
    public MatchFunction(KafkaClientConfig kafka, Collection<String> notificationTopics) {
        this.kafka = kafka;
        this.notificationTopics = new HashSet<>(notificationTopics);
    }

    /**
     * The index from the broadcast state; on a fresh start (empty state) from a snapshot of the
     * registry topic, so that a backlog of events read before the broadcast is not matched against
     * no functions.
     */
    private TriggerIndex primedIndex(Iterable<Map.Entry<String, FunctionSpec>> state) {
        TriggerIndex fresh = new TriggerIndex();
        fresh.putAll(state);
        if (fresh.size() == 0 && kafka != null) {
            Map<String, FunctionSpec> snapshot = RegistrySnapshot.read(kafka, SNAPSHOT_TIMEOUT);
            fresh.putAll(snapshot.entrySet());
            LOG.info("fresh start: {} functions from the registry topic", snapshot.size());
        }
        return fresh;
    }

    @Override
    public void processElement(
            SourceRecord record, ReadOnlyContext ctx, Collector<InvocationRequest> out)
            throws Exception {
        if (index == null) {
            index = primedIndex(ctx.getBroadcastState(RegistryState.DESCRIPTOR).immutableEntries());
        }
        if (notificationTopics.contains(record.topic)) {
            matchNotification(record, ctx, out);
            return;
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
        String target = event.getExtensions().get(EventExtensions.TARGET);
        if (target == null) {
            matchTriggers(record.topic, event, out);
            return;
        }
        FunctionSpec spec = index.function(target);
        out.collect(
                spec != null && spec.getVersion() >= SourceEvents.minVersion(event)
                        ? SourceEvents.request(spec, event)
                        : SourceEvents.unresolved(target, event));
    }

    private void matchTriggers(String topic, Event event, Collector<InvocationRequest> out) {
        List<FunctionSpec> matches = index.matching(topic, event);
        for (FunctionSpec spec : matches) {
            out.collect(SourceEvents.request(spec, event));
        }
        if (matches.isEmpty() && event.getType().equals(EventTypes.TIMER_TICK)) {
            LOG.info(
                    "tick {} dropped: {} no longer has that cron trigger (updated or deleted)",
                    event.getId(),
                    event.getExtensions().get(EventExtensions.TIMER_FUNCTION));
        }
    }

    /**
     * A record of MinIO's own Kafka notification target: notification JSON, one or more object
     * events, each matched like an s3 event on {@code flowfn.events}.
     */
    private void matchNotification(
            SourceRecord record, ReadOnlyContext ctx, Collector<InvocationRequest> out) {
        List<Event> events;
        try {
            events = MinioKafkaTarget.events(record.key, record.value);
        } catch (InvalidNotificationException e) {
            ctx.output(
                    DEAD_LETTERS,
                    OutputRecords.deadLetter(
                            record,
                            FailureKind.BAD_EVENT,
                            record + " is not a bucket notification: " + e.getMessage()));
            return;
        }
        for (Event event : events) {
            matchTriggers(Topics.EVENTS, event, out);
        }
    }

    @Override
    public void processBroadcastElement(
            RegistryUpdate update, Context ctx, Collector<InvocationRequest> out) throws Exception {
        if (index == null) {
            index = primedIndex(ctx.getBroadcastState(RegistryState.DESCRIPTOR).immutableEntries());
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
