package dev.flowfn.job.internal;

/**
 * A direct invocation waiting for the registry to show its function (deploy and invoke can
 * race: they travel on different topics). A Flink POJO kept in operator state.
 */
public final class PendingInvocation {
    public SourceRecord record;
    public long arrivedAtMillis;

    public PendingInvocation() {}

    public PendingInvocation(SourceRecord record, long arrivedAtMillis) {
        this.record = record;
        this.arrivedAtMillis = arrivedAtMillis;
    }
}
