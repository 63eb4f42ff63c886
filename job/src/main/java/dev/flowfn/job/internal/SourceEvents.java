package dev.flowfn.job.internal;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Turns a record read from a trigger topic into an {@link Event}: records on {@code
 * flowfn.events} are Avro events already; records on a user's own topic are wrapped as {@code
 * kafka.record} events whose id is the record's position (stable across re-reads).
 */
public final class SourceEvents {

    /** Extension naming the one function a direct invocation is for. */
    public static final String TARGET = "flowfntarget";
    /** Extension: the lowest function version the invoker expects (it saw this one deployed). */
    public static final String MIN_VERSION = "flowfnminversion";

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    /** @throws dev.flowfn.schemas.UndecodableRecordException for a bad flowfn.events record */
    public static Event toEvent(SourceRecord r) {
        if (r.topic.equals(Topics.EVENTS)) {
            return EVENTS.decode(r.value);
        }
        return Event.newBuilder()
                .setId(r.topic + "/" + r.partition + "/" + r.offset)
                .setSource("kafka://" + r.topic + "/" + r.partition)
                .setType("kafka.record")
                .setSubject(r.key == null ? null : new String(r.key, StandardCharsets.UTF_8))
                .setTime(Instant.ofEpochMilli(r.timestamp))
                .setData(ByteBuffer.wrap(r.value == null ? new byte[0] : r.value))
                .setExtensions(Map.of())
                .build();
    }

    /** The invocation id: the event's own id for a direct invocation, else event id + function. */
    public static String invocationId(Event event, String function) {
        return function.equals(event.getExtensions().get(TARGET))
                ? event.getId()
                : event.getId() + "/" + function;
    }

    /** Events of one subject stay in order; events without one spread freely. */
    public static String partitionKey(Event event) {
        return event.getSubject() != null ? event.getSubject() : event.getId();
    }

    private SourceEvents() {}
}
