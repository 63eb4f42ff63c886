package dev.flowfn.job.internal;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;

/**
 * A direct invocation of a function the registry does not know yet (deploy and invoke race: they
 * travel on different topics), waiting in keyed state. A Flink POJO.
 */
public final class PendingDirect {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    public String function;
    public byte[] event;
    public long arrivedAtMillis;

    public PendingDirect() {}

    PendingDirect(String function, Event event, long arrivedAtMillis) {
        this.function = function;
        this.event = EVENTS.encode(event);
        this.arrivedAtMillis = arrivedAtMillis;
    }

    Event decodeEvent() {
        return EVENTS.decode(event);
    }
}
