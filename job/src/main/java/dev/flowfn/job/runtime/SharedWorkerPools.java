package dev.flowfn.job.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * One {@link WorkerPool} per TaskManager (per JVM and settings), shared by the parallel instances
 * that run there: the first to {@link #acquire} starts it, the last to {@link #release} it stops
 * it. Thread-safe.
 */
public final class SharedWorkerPools {

    private static final Map<WorkerPool.Settings, Shared> POOLS = new HashMap<>();

    private static final class Shared {
        final WorkerPool pool;
        int users;

        Shared(WorkerPool pool) {
            this.pool = pool;
        }
    }

    /** The pool of this JVM for {@code settings}, started on first use. */
    public static synchronized WorkerPool acquire(WorkerPool.Settings settings) {
        Shared shared = POOLS.computeIfAbsent(settings, s -> new Shared(new WorkerPool(s)));
        shared.users++;
        return shared.pool;
    }

    /** Gives back a pool from {@link #acquire}; the last user stops its workers. */
    public static synchronized void release(WorkerPool pool) {
        for (var it = POOLS.entrySet().iterator(); it.hasNext(); ) {
            Shared shared = it.next().getValue();
            if (shared.pool == pool && --shared.users == 0) {
                it.remove();
                pool.close();
                return;
            }
        }
    }

    private SharedWorkerPools() {}
}
