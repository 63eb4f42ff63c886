package dev.flowfn.job.internal;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventIds;
import dev.flowfn.schemas.contract.EventSources;
import dev.flowfn.schemas.contract.EventTypes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a record read from a trigger topic into an {@link Event}: records on {@code flowfn.events}
 * are Avro events already; records on a user's own topic are wrapped as {@code kafka.record} events
 * whose id is the record's position (stable across re-reads). The names and id rules are the
 * contract's ({@code dev.flowfn.schemas.contract}, CONTRACTS.md).
 */
public final class SourceEvents {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    /** Topics whose sources {@link #source} keeps at most. */
    private static final int MAX_SOURCE_TOPICS = 10_000;

    private static final Map<String, String[]> SOURCES = new ConcurrentHashMap<>();

    /** CloudEvents 1.0, the schema's default for {@code specversion}. */
    private static final String SPEC_VERSION = "1.0";

    /**
     * @throws dev.flowfn.schemas.UndecodableRecordException for a bad flowfn.events record
     */
    public static Event toEvent(SourceRecord r) {
        if (r.topic.equals(Topics.EVENTS)) {
            return EVENTS.decode(r.value);
        }
        // the constructor, not the builder: build() deep-copies each field's default it is not
        // given, a few percent of the job's time per Kafka record
        return new Event(
                EventIds.kafkaRecord(r.topic, r.partition, r.offset),
                source(r.topic, r.partition),
                SPEC_VERSION,
                EventTypes.KAFKA_RECORD,
                r.keyText(),
                Instant.ofEpochMilli(r.timestamp),
                null,
                ByteBuffer.wrap(r.value == null ? new byte[0] : r.value),
                Map.of(),
                false);
    }

    /**
     * {@link EventSources#kafka}, made once per partition instead of once per record. Bounded: a
     * job whose topic pattern matched more partitions than this over its life starts over.
     */
    private static String source(String topic, int partition) {
        String[] byPartition = SOURCES.get(topic);
        if (byPartition == null || partition >= byPartition.length) {
            if (SOURCES.size() >= MAX_SOURCE_TOPICS) {
                SOURCES.clear();
            }
            String[] grown =
                    new String
                            [Math.max(
                                    partition + 1,
                                    byPartition == null ? 8 : byPartition.length * 2)];
            if (byPartition != null) {
                System.arraycopy(byPartition, 0, grown, 0, byPartition.length);
            }
            byPartition = grown;
            SOURCES.put(topic, byPartition);
        }
        String source = byPartition[partition];
        if (source == null) {
            // a race with another task thread at most makes the same string twice
            source = EventSources.kafka(topic, partition);
            byPartition[partition] = source;
        }
        return source;
    }

    /** The invocation id: the event's own id for a direct invocation, else event id + function. */
    public static String invocationId(Event event, String function) {
        return function.equals(event.getExtensions().get(EventExtensions.TARGET))
                ? event.getId()
                : EventIds.invocation(event.getId(), function);
    }

    /** Events of one subject stay in order; events without one spread freely. */
    public static String partitionKey(Event event) {
        return event.getSubject() != null ? event.getSubject() : event.getId();
    }

    /** The lowest version a direct invocation accepts (0 = any). */
    public static long minVersion(Event event) {
        String v = event.getExtensions().get(EventExtensions.MIN_VERSION);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Whether the event's id comes from its source (an S3/MinIO notification, a timer tick, an MQTT
     * QoS 2 message), so that a redelivery carries the same id and is dropped as a repeat: the
     * producer says so in {@code sourceIdentity}. A record without that flag set is still judged by
     * the rule that held before the field existed ({@link EventIds#hadSourceIdentityByName}):
     * records written before it decode with it false, and events built without it keep the
     * behaviour they had.
     */
    public static boolean hasSourceIdentity(Event event) {
        return event.getSourceIdentity()
                || EventIds.hadSourceIdentityByName(event.getType(), event.getId());
    }

    private SourceEvents() {}
}
