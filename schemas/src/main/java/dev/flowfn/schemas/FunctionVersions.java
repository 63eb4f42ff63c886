package dev.flowfn.schemas;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the versions and aliases a function's latest record carries ({@code FunctionSpec.history},
 * {@code FunctionSpec.aliases}), and decides where an alias sends a partition key. The control
 * server, the job and the CLI share these rules, so they agree on them.
 */
public final class FunctionVersions {

    /** Percent of traffic, as split among the hash ranges of partition keys. */
    public static final int BUCKETS = 100;

    /** The kept version {@code version} of the function whose latest record is {@code head}. */
    public static FunctionSpec version(FunctionSpec head, long version) {
        if (head.getVersion() == version) {
            return head;
        }
        for (FunctionSpec old : head.getHistory()) {
            if (old.getVersion() == version) {
                return old;
            }
        }
        return null;
    }

    /** Every kept version, newest first (the latest is {@code head} itself). */
    public static List<FunctionSpec> kept(FunctionSpec head) {
        List<FunctionSpec> all = new ArrayList<>(head.getHistory().size() + 1);
        all.add(head);
        all.addAll(head.getHistory());
        return all;
    }

    /** The kept version numbers, newest first. */
    public static List<Long> keptNumbers(FunctionSpec head) {
        return kept(head).stream().map(FunctionSpec::getVersion).toList();
    }

    /** The alias named {@code name}, or null. */
    public static Alias alias(FunctionSpec head, String name) {
        for (Alias a : head.getAliases()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The aliases that send traffic to {@code version}, as {@code prod} or {@code prod(10%)}. */
    public static List<String> aliasesOf(FunctionSpec head, long version) {
        List<String> names = new ArrayList<>();
        for (Alias a : head.getAliases()) {
            Long canary = a.getCanaryVersion();
            if (a.getVersion() == version) {
                names.add(
                        canary == null
                                ? a.getName()
                                : a.getName() + "(" + (BUCKETS - a.getCanaryWeight()) + "%)");
            } else if (canary != null && canary == version) {
                names.add(a.getName() + "(" + a.getCanaryWeight() + "%)");
            }
        }
        return names;
    }

    /** Whether some alias sends traffic to {@code version}. */
    public static boolean usedByAlias(FunctionSpec head, long version) {
        return !aliasesOf(head, version).isEmpty();
    }

    /**
     * The version {@code alias} sends {@code partitionKey} to: its canary version when the key's
     * bucket falls in the canary's hash range, else its version. The same key always lands in the
     * same bucket, so each key sticks to one version while the split lasts.
     */
    public static long route(Alias alias, String partitionKey) {
        Long canary = alias.getCanaryVersion();
        if (canary == null || alias.getCanaryWeight() <= 0) {
            return alias.getVersion();
        }
        return bucket(partitionKey) < alias.getCanaryWeight() ? canary : alias.getVersion();
    }

    /** The key's bucket in [0, {@link #BUCKETS}): a 64-bit FNV-1a hash, mixed, then reduced. */
    public static int bucket(String partitionKey) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < partitionKey.length(); i++) {
            h ^= partitionKey.charAt(i);
            h *= 0x100000001b3L;
        }
        // splitmix64's finalizer: FNV's low bits alone are weak for short, similar keys
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (int) Long.remainderUnsigned(h, BUCKETS);
    }

    /** {@code spec} as one version: without the aliases and history of the latest record. */
    public static FunctionSpec alone(FunctionSpec spec) {
        if (spec.getAliases().isEmpty() && spec.getHistory().isEmpty()) {
            return spec;
        }
        return FunctionSpec.newBuilder(spec).setAliases(List.of()).setHistory(List.of()).build();
    }

    private FunctionVersions() {}
}
