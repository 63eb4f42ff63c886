package dev.flowfn.job.internal.dispatch;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRecord;
import dev.flowfn.schemas.LogRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One invocation of a function version for one event, from the moment it is queued until its last
 * attempt ended. Only the Flink task thread touches it; what runs elsewhere is its {@link Attempt}.
 */
public final class Invocation {

    /**
     * The key the operator is keyed by (the record's key): where the invocation is checkpointed.
     */
    final String operatorKey;

    /**
     * Function and partition key: invocations with the same one run one at a time, in order. Made
     * when first asked for: an invocation that runs alone and ends at once needs none (task
     * thread).
     */
    private QueueKey queueKey;

    final FunctionSpec spec;
    final Event event;
    final String invocationId;
    final String partitionKey;

    /** The queue it waits in, from its submit on (task thread). */
    ArrayDeque<Invocation> queue;

    /** Attempts started so far. */
    int attempts;

    /** Log lines of the attempts so far, and their meter records; null until there are some. */
    List<LogRecord> logs;

    List<InvocationRecord> metered;

    public Invocation(
            String operatorKey,
            FunctionSpec spec,
            Event event,
            String invocationId,
            String partitionKey) {
        this.operatorKey = operatorKey;
        this.spec = spec;
        this.event = event;
        this.invocationId = invocationId;
        this.partitionKey = partitionKey;
    }

    QueueKey queueKey() {
        if (queueKey == null) {
            queueKey = new QueueKey(spec.getName(), partitionKey);
        }
        return queueKey;
    }

    public String operatorKey() {
        return operatorKey;
    }

    public FunctionSpec spec() {
        return spec;
    }

    public Event event() {
        return event;
    }

    public String invocationId() {
        return invocationId;
    }

    public String partitionKey() {
        return partitionKey;
    }

    void addLogs(List<LogRecord> lines) {
        if (lines.isEmpty()) {
            return;
        }
        if (logs == null) {
            logs = new ArrayList<>(lines.size());
        }
        logs.addAll(lines);
    }

    void addMetered(InvocationRecord record) {
        if (metered == null) {
            metered = new ArrayList<>(1);
        }
        metered.add(record);
    }

    List<LogRecord> logs() {
        return logs == null ? List.of() : logs;
    }

    List<InvocationRecord> metered() {
        return metered == null ? List.of() : metered;
    }

    @Override
    public String toString() {
        return invocationId + " of " + spec.getName() + " v" + spec.getVersion();
    }
}
