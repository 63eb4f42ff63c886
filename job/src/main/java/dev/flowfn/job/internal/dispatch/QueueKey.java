package dev.flowfn.job.internal.dispatch;

import java.util.Objects;

/**
 * A function and a partition key: the invocations of one run one at a time, in order. Two strings
 * the task thread already holds rather than one made of both per invocation: no copy, and the hash
 * is computed once, from the two strings' own hashes (the function name's is long known).
 */
final class QueueKey {

    private final String function;
    private final String partitionKey;
    private final int hash;

    QueueKey(String function, String partitionKey) {
        this.function = function;
        this.partitionKey = partitionKey;
        this.hash = 31 * function.hashCode() + Objects.hashCode(partitionKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueKey k
                && hash == k.hash
                && function.equals(k.function)
                && Objects.equals(partitionKey, k.partitionKey);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return function + "/" + partitionKey;
    }
}
