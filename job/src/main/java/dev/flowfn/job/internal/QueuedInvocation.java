package dev.flowfn.job.internal;

import dev.flowfn.job.internal.dispatch.Invocation;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.Event;

/**
 * An invocation in flight as the function group operator checkpoints it, under its key: the
 * function's name and version (never its spec) and the event. A Flink POJO.
 */
public final class QueuedInvocation {

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);

    public String function;
    public long version;
    public String invocationId;
    public String partitionKey;
    public byte[] event;

    /** The key it was checkpointed under; set on restore, not part of the state. */
    transient String operatorKey;

    public QueuedInvocation() {}

    static QueuedInvocation of(Invocation invocation) {
        QueuedInvocation q = new QueuedInvocation();
        q.function = invocation.spec().getName();
        q.version = invocation.spec().getVersion();
        q.invocationId = invocation.invocationId();
        q.partitionKey = invocation.partitionKey();
        q.event = EVENTS.encode(invocation.event());
        return q;
    }

    Event decodeEvent() {
        return EVENTS.decode(event);
    }
}
