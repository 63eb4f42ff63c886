package dev.flowfn.job.internal;

import dev.flowfn.schemas.InvocationRequest;

/** A direct invocation waiting for its function to appear in the registry. A Flink POJO. */
public final class PendingRequest {
    public InvocationRequest request;
    public long arrivedAtMillis;

    public PendingRequest() {}

    public PendingRequest(InvocationRequest request, long arrivedAtMillis) {
        this.request = request;
        this.arrivedAtMillis = arrivedAtMillis;
    }
}
